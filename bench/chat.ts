import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, postJson, printTable, serviceTargets, startService } from './lib.ts';

/**
 * Assistant benchmark: the chat endpoint with the offline assistant (no model), at 8 connections, beside the
 * task list at the same concurrency for scale. Each request starts a conversation (stored, with its tool calls)
 * and runs the whole loop: a question is two rounds (list_tasks, then the reply), an add two (add_task, reply).
 * The user has 50 tasks, and the adds grow that during the run as a real user's list would.
 *
 *   npm run bench:chat                      # PGlite only
 *   BENCH_DATABASE_URL=postgres://… npm run bench:chat
 *
 * BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_CHAT_CONNECTIONS (8).
 */
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CHAT_CONNECTIONS ?? 8);

/** A mix of what people ask: mostly questions, some adds. */
const MESSAGES = [
  "what's due today?",
  'high priority stuff',
  'add bench task [<id>] tomorrow 5pm p2 #bench',
  'anything overdue?',
  'show tasks tagged work',
  'what did I finish this week',
];

const targets = serviceTargets();

const rows = [];
for (const target of targets) {
  const dataDir = await mkdtemp(join(tmpdir(), 'doable-bench-'));
  const service = await startService({ ...target.env, DATA_DIR: dataDir, REDIS_URL: undefined });
  try {
    const session = await postJson<{ access_token: string }>(`${service.url}/api/auth/register`, {
      email: `chat-${Date.now()}@example.com`,
      password: 'benchmark password',
    });
    const headers = { authorization: `Bearer ${session.access_token}`, 'content-type': 'application/json' };
    for (let i = 0; i < 50; i++) {
      await postJson(
        `${service.url}/api/me/tasks/quick`,
        {
          text: `Task ${i} ${['today', 'tomorrow', 'yesterday', 'next week'][i % 4]} p${1 + (i % 4)} #${['work', 'home'][i % 2]}`,
        },
        headers,
      );
    }
    // Every message must work before its speed means anything.
    for (const message of MESSAGES) {
      await postJson(`${service.url}/api/me/chat`, { message: message.replace('[<id>]', 'check') }, headers);
    }
    const chat = {
      url: `${service.url}/api/me/chat`,
      method: 'POST' as const,
      headers,
      requests: MESSAGES.map((message) => ({ body: JSON.stringify({ message }) })),
      idReplacement: true,
      connections: CONNECTIONS,
    };
    await load('warm-up', { ...chat, duration: WARMUP });
    const results = [
      await load('POST /api/me/chat (offline assistant)', { ...chat, duration: DURATION }),
      await load('GET /api/me/tasks?limit=50 (for scale)', {
        url: `${service.url}/api/me/tasks?limit=50`,
        headers,
        connections: CONNECTIONS,
        duration: DURATION,
      }),
    ];
    for (const r of results) {
      rows.push({
        target: target.name,
        scenario: r.name,
        'req/s': r.rps,
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        'bytes/resp': r.bytesPerResponse,
        errors: r.errors,
      });
    }
  } finally {
    await service.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
console.log(`\n${DURATION} s per run, ${CONNECTIONS} connections; chat after ${WARMUP} s of warm-up\n`);
printTable(rows);
