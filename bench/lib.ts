import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import pg from 'pg';

/**
 * Shared by the benchmark scripts, and by the tests that run the service as a process: run it, load it, and make
 * PostgreSQL databases for it.
 */

export const MAIN = new URL('../src/main.ts', import.meta.url).pathname;

export interface Service {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first 200 on /health/ready. */
  readyMs: number;
  stop(): Promise<void>;
}

/** The databases a service benchmark runs on: the embedded one always, PostgreSQL with BENCH_DATABASE_URL. */
export function serviceTargets(): Array<{ name: string; env: Record<string, string | undefined> }> {
  const targets: Array<{ name: string; env: Record<string, string | undefined> }> = [
    { name: 'pglite', env: { DATABASE_URL: undefined } },
  ];
  if (process.env.BENCH_DATABASE_URL)
    targets.push({ name: 'postgres', env: { DATABASE_URL: process.env.BENCH_DATABASE_URL } });
  return targets;
}

/** A database of its own beside the one `url` names, dropped again by `drop`. */
export async function scratchPostgres(url: string) {
  const name = `doable_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(url, `create database ${name}`);
  return {
    env: { DATABASE_URL: withDatabase(url, name) },
    drop: () => adminQuery(url, `drop database if exists ${name} with (force)`),
  };
}

/**
 * One statement on a connection of its own, closed again: a connection held for a whole run would die with the
 * outages the soak makes, and an unhandled error on an idle client ends the process.
 */
export async function adminQuery(url: string, text: string) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

/** The same server and credentials as `url`, another database. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address !== 'object') throw new Error('no free port');
  return address.port;
}

/**
 * Starts `script` (the service by default) as its own process and waits for a 200 on `readyPath`
 * (/health/ready by default). `nodeArgs` go to node before the script, e.g. --cpu-prof to profile it.
 */
export async function startService(
  env: Record<string, string | undefined>,
  options: { script?: string; nodeArgs?: string[]; readyPath?: string } = {},
): Promise<Service> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script ?? MAIN], {
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      // Limits would turn a benchmark into a test of the limiter; they are measured by the tests instead.
      RATE_LIMIT_ENABLED: 'false',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.script ?? MAIN} exited before it was ready`);
    const ok = await fetch(`${url}${options.readyPath ?? '/health/ready'}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const readyMs = performance.now() - started;
  return {
    url,
    child,
    readyMs,
    stop: async () => {
      // Ended already (a signal sets signalCode, not exitCode): its exit event has fired, and would not again.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident memory of a process, in MiB, from /proc (Linux). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

/**
 * CPU time a process has used so far, user and system, all threads, in microseconds (Linux, from /proc; the
 * kernel counts in USER_HZ ticks, 100 per second on every Linux architecture Node runs on).
 */
export async function cpuMicros(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

export interface LoadResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Mean response size, headers included. */
  bytesPerResponse: number;
  requests: number;
  /** When the run started and ended, in process.hrtime.bigint() nanoseconds: to find it in a CPU profile. */
  window: { from: bigint; to: bigint };
}

export async function load(
  name: string,
  options: {
    url: string;
    connections: number;
    duration: number;
    requests?: autocannon.Request[];
  } & Partial<autocannon.Options>,
): Promise<LoadResult> {
  const from = process.hrtime.bigint();
  const result = await autocannon({ ...options, url: options.url });
  const to = process.hrtime.bigint();
  const bad = result.errors + result.timeouts + result.non2xx;
  return {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: bad,
    bytesPerResponse: Math.round(result.throughput.total / Math.max(1, result.requests.total)),
    requests: result.requests.total,
    window: { from, to },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function printTable(rows: Array<Record<string, string | number>>) {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(columns));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(columns.map((c) => String(row[c]))));
}

export async function postJson<T>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Where the raw baseline (bench/baseline.ts) takes each parameter of a statement from, per request. */
export type ParamSource =
  | { from: 'user' }
  | { from: 'now' }
  | { from: 'body'; field: string }
  | { from: 'value'; value: unknown };

/** A statement exactly as the service's repository sends it, with where each of its parameters comes from. */
export interface Statement {
  text: string;
  params: ParamSource[];
  /** Set when the repository prepares the statement: PostgreSQL then parses it once per connection. */
  name?: string;
}

export interface BaselineStatements {
  list: Statement;
  create: Statement;
}

interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Who a profiled function belongs to: a package, Node itself, the service's source, or V8's own buckets. */
function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(V8 builtins / native)';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1] ?? url;
  if (url.startsWith('node:')) return 'node (core)';
  if (url.includes('/src/')) return 'doable src';
  if (url.includes('/bench/')) return 'bench';
  return url;
}

/**
 * Prints where a process spent its time during a load run (its window is in process.hrtime.bigint() of this
 * process: on Linux the same monotonic clock as V8's profile timestamps): self time by owner, then the top
 * functions, as shares and as microseconds per request served.
 */
export async function summarizeCpuProfile(file: string, run: LoadResult, top = 20) {
  const { window } = run;
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const [from, to] = [Number(window.from / 1000n), Number(window.to / 1000n)];
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let time = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    time += delta;
    if (time < from || time > to) continue;
    const frame = nodes.get(profile.samples[i] ?? -1)?.callFrame;
    if (!frame) continue;
    const owner = ownerOf(frame.url, frame.functionName);
    const where = frame.url
      ? ` ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/src\//, 'src/')}:${frame.lineNumber + 1}`
      : '';
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + delta);
    byFunction.set(`${name}\t${owner}`, (byFunction.get(`${name}\t${owner}`) ?? 0) + delta);
    total += delta;
  }
  if (total === 0) {
    console.log(`  no samples between the window's ends in ${file}`);
    return;
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
  const perRequest = (us: number) => Math.round(us / Math.max(1, run.requests));
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  console.log(
    `  ${(total / 1e6).toFixed(1)} s sampled, ${run.requests} requests: ${perRequest(total)} µs each; self time by owner:`,
  );
  printTable(sorted(byOwner).map(([owner, us]) => ({ owner, self: pct(us), 'µs/req': perRequest(us) })));
  console.log(`  top ${top} functions by self time:`);
  printTable(
    sorted(byFunction)
      .slice(0, top)
      .map(([key, us]) => {
        const [fn, owner] = key.split('\t');
        return { function: fn ?? '', owner: owner ?? '', self: pct(us), 'µs/req': perRequest(us) };
      }),
  );
}

/** One block of a server-sent event stream: an event (`event`, `data`), or only comments and an `id:`. */
export interface StreamBlock {
  id: string | undefined;
  /** The `event:` field; 'message' when the block has data but no name, '' for a block without data. */
  event: string;
  data: string;
  comments: string[];
  retry: number | undefined;
  /** performance.now() when it was read. */
  at: number;
}

export interface EventStream {
  status: number;
  headers: Headers;
  /** Every block read so far, in order. */
  blocks: StreamBlock[];
  /** Resolves with the first block from `from` on (an index into blocks) that `match` accepts. */
  next(match: (block: StreamBlock) => boolean, timeoutMs?: number, from?: number): Promise<StreamBlock>;
  /** The events (blocks with data) read so far. */
  events(): StreamBlock[];
  /** Settles when the server ends the stream (or it breaks): true if it ended cleanly. */
  ended: Promise<boolean>;
  close(): void;
}

/**
 * Opens `url` as a server-sent event stream with fetch (EventSource cannot send an Authorization header) and
 * parses it as the WHATWG spec says, keeping every block; a refused request is read whole and answered as is.
 */
export async function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const blocks: StreamBlock[] = [];
  const waiting = new Set<() => void>();
  let done = false;
  const ended = (async () => {
    if (!response.ok || !response.body) {
      await response.text().catch(() => '');
      return true;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    let block: Omit<StreamBlock, 'at'> = {
      id: undefined,
      event: '',
      data: '',
      comments: [],
      retry: undefined,
    };
    let data: string[] = [];
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        const lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (line === '') {
            blocks.push({
              ...block,
              data: data.join('\n'),
              event: data.length ? block.event || 'message' : '',
              at: performance.now(),
            });
            block = { id: undefined, event: '', data: '', comments: [], retry: undefined };
            data = [];
            for (const wake of waiting) wake();
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === '') block.comments.push(value);
          else if (field === 'id') block.id = value;
          else if (field === 'event') block.event = value;
          else if (field === 'data') data.push(value);
          else if (field === 'retry') block.retry = Number(value);
        }
      }
      return true;
    } catch {
      return false;
    } finally {
      done = true;
      for (const wake of waiting) wake();
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    blocks,
    events: () => blocks.filter((block) => block.data !== ''),
    ended,
    close: () => controller.abort(),
    next(match, timeoutMs = 5_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = blocks.slice(from).find(match);
          if (found) {
            cleanup();
            resolve(found);
          } else if (done) {
            cleanup();
            reject(new Error(`the stream ended without the block awaited; read: ${JSON.stringify(blocks)}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`no such block within ${timeoutMs} ms; read: ${JSON.stringify(blocks).slice(-2000)}`),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiting.delete(check);
        };
        waiting.add(check);
        check();
      });
    },
  };
}
