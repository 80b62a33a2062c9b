/**
 * `npx tsx bench/server/memory-breakdown.ts [--bare] [--connections 10000] [--sessions 1000]`
 *
 * Where an idle connection's memory goes. Runs the Courier server (or, with --bare, the
 * bare relay's few lines) IN this process, opens idle authenticated and synced sockets
 * from a forked load generator (bench/server/generator.ts), and compares before/after:
 * process.memoryUsage() (RSS, V8 heap, external buffers) and two V8 heap snapshots
 * grouped by constructor, per connection. Prints tables; asserts nothing; removes its temp
 * folder. Re-executes itself with --expose-gc so both readings follow a full GC.
 *
 * --sessions: how many distinct sessions (logins) the sockets use, round-robin; the server
 * benchmark uses 1000 (one per registered user, scrypt makes more slow over HTTP). With
 * --sessions 10000 every socket has its own session, as 10,000 real devices would.
 */
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import { WebSocketServer } from 'ws';
import { loadConfig } from '../../src/server/config';
import { startServer } from '../../src/server/server';
import { WS_PATH } from '../../src/shared/protocol';
import { relayPairs } from './relay';
import { sleep, type Job, type Reply } from './shared';

const ROOT = resolve(import.meta.dirname, '..', '..');
if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit', cwd: ROOT });
  process.exit(r.status ?? 1);
}
const gc = globalThis.gc as () => void;

const { values: flags } = parseArgs({ options: { bare: { type: 'boolean', default: false }, connections: { type: 'string', default: '10000' }, sessions: { type: 'string', default: '1000' } } });
const COUNT = Number(flags.connections);
const USERS = 1000;
const dir = mkdtempSync(join(tmpdir(), 'courier-mem-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
process.on('SIGINT', () => process.exit(130));

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Self size and count per group ("Connection", "closure onMessage", "(string)", ...). */
function groups(file: string): Map<string, { bytes: number; count: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const out = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + iType]!]!;
    const name = snap.strings[snap.nodes[i + iName]!]!;
    let key: string;
    if (type === 'object') key = name;
    else if (type === 'closure') key = `closure ${name || '(anonymous)'}`;
    else if (type.includes('string')) key = '(strings)';
    else if (type === 'array' || type === 'hidden' || type === 'native' || type === 'object shape') key = `(${type}) ${name.slice(0, 40)}`;
    else key = `(${type})`;
    const g = out.get(key) ?? { bytes: 0, count: 0 };
    g.bytes += snap.nodes[i + iSize]!;
    g.count++;
    out.set(key, g);
  }
  return out;
}

async function main(): Promise<void> {
  let wsUrl: string;
  let tokens: string[] = [''];
  let stop: () => Promise<void>;
  if (flags.bare) {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, clientTracking: false });
    relayPairs(wss);
    await new Promise((r) => wss.once('listening', r));
    const address = wss.address();
    wsUrl = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    stop = () => new Promise((r) => wss.close(() => r()));
  } else {
    const config = loadConfig(['--port', '0', '--metrics-port', '0', '--data-dir', dir, '--log-level', 'warn', '--max-connections', '50000', '--rate-frames', '100000'], {});
    // A cheap scrypt cost: setup speed only; nothing measured here depends on it.
    const server = await startServer({ config, passwordCost: { N: 1024, r: 8, p: 1 } });
    const accounts = [];
    for (let i = 0; i < USERS; i++) accounts.push(await server.auth.register({ username: `mem-${i}`, password: 'benchmark-password-1' }));
    for (let i = 0; i + 1 < USERS; i += 2) await server.store.openDirect(accounts[i]!.user.id, accounts[i + 1]!.user.id, Date.now());
    tokens = accounts.map((a) => a.tokens.accessToken);
    for (let i = USERS; i < Number(flags.sessions); i++) {
      tokens.push((await server.auth.login({ username: `mem-${i % USERS}`, password: 'benchmark-password-1' })).tokens.accessToken);
    }
    wsUrl = server.wsUrl;
    stop = () => server.close();
  }
  if (!wsUrl.endsWith(WS_PATH) && !flags.bare) throw new Error(`unexpected ws url ${wsUrl}`);

  const gen = fork(join(ROOT, 'bench', 'server', 'generator.ts'), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (job: Job) =>
    new Promise<Reply>((res, rej) => {
      gen.once('message', (r: Reply) => (r.ok ? res(r) : rej(new Error(r.error))));
      gen.send(job);
    });

  await sleep(1000);
  gc();
  const m0 = process.memoryUsage();
  const s0 = writeHeapSnapshot(join(dir, 'before.heapsnapshot'));
  const idle = await ask({ cmd: 'idle', target: flags.bare ? 'bare' : 'courier', url: wsUrl, count: COUNT, tokens, localAddress: '127.0.200.9', concurrency: 100, worker: 0 });
  if (idle.ok && idle.cmd === 'idle' && idle.report.failed > 0) throw new Error(`${idle.report.failed} connections failed: ${idle.report.firstError}`);
  await sleep(3000);
  gc();
  const m1 = process.memoryUsage();
  const s1 = writeHeapSnapshot(join(dir, 'after.heapsnapshot'));
  await ask({ cmd: 'closeIdle' });
  gen.kill();
  await stop();

  const kib = (b: number) => (b / 1024 / COUNT).toFixed(2);
  process.stdout.write(`\n${flags.bare ? 'bare relay' : `Courier (${tokens.length} sessions)`}, ${COUNT} idle connections, per connection (KiB):\n`);
  for (const k of ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'] as const) process.stdout.write(`  ${k.padEnd(12)} ${kib(m1[k] - m0[k]).padStart(7)}\n`);

  const before = groups(s0);
  const after = groups(s1);
  const rows = [...after]
    .map(([k, g]) => ({ k, bytes: g.bytes - (before.get(k)?.bytes ?? 0), count: g.count - (before.get(k)?.count ?? 0) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 30);
  const total = [...after.values()].reduce((n, g) => n + g.bytes, 0) - [...before.values()].reduce((n, g) => n + g.bytes, 0);
  process.stdout.write(`\nV8 heap growth by group (self size), bytes per connection; total ${(total / COUNT).toFixed(0)} B:\n`);
  for (const r of rows) process.stdout.write(`  ${(r.bytes / COUNT).toFixed(0).padStart(6)} B  ${(r.count / COUNT).toFixed(2).padStart(6)} objects  ${r.k}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
