// Copied from the shared benchmark kit, unchanged below this line (see bench/tasks.ts): a yardstick that does not
// share Doable's design.
// The raw limit for the list/create workloads: node:http + pg + jose, no framework, the same JSON Doable returns.
import http from 'node:http';
import pg from 'pg';
import { jwtVerify } from 'jose';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(`create table if not exists tasks (id bigserial primary key, user_id text not null, title text not null, description text,
  completed boolean not null default false, completed_at timestamptz, priority text not null default 'medium', tags text[] not null default '{}',
  due_date timestamptz, recurrence text, created_at timestamptz not null default now(), updated_at timestamptz not null default now());
  create index if not exists tasks_user_created on tasks (user_id, created_at desc, id desc);`);
const key = new TextEncoder().encode(process.env.SECRET);
const LIST = `select id,user_id,title,description,completed,completed_at,priority,tags,due_date,recurrence,created_at,updated_at, count(*) over() as total
  from tasks where user_id=$1 order by created_at desc, id desc limit 50`;
const INSERT = 'insert into tasks (user_id,title,description,priority,tags,due_date) values ($1,$2,$3,$4,$5,$6) returning *';
http.createServer(async (req, res) => {
  const send = (code, obj) => { const b = JSON.stringify(obj); res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) }); res.end(b); };
  if (req.url === '/ready') return send(200, { ok: true });
  let sub;
  try { sub = (await jwtVerify((req.headers.authorization || '').slice(7), key, { algorithms: ['HS256'] })).payload.sub; } catch { return send(401, { detail: 'unauthorized' }); }
  try {
    if (req.method === 'GET') {
      const r = await pool.query(LIST, [sub]);
      return send(200, { tasks: r.rows.map(({ total, ...x }) => x), total: Number(r.rows[0]?.total ?? 0), limit: 50, offset: 0 });
    }
    let body = ''; for await (const c of req) body += c;
    const t = JSON.parse(body);
    if (typeof t.title !== 'string' || !t.title) return send(400, { detail: 'title' });
    const r = await pool.query(INSERT, [sub, t.title, t.description ?? null, t.priority ?? 'medium', t.tags ?? [], t.due_date ?? null]);
    return send(201, r.rows[0]);
  } catch (e) { return send(500, { detail: String(e.message) }); }
}).listen(Number(process.env.PORT), '127.0.0.1');
