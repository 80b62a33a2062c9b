/**
 * `npm run bench:server [-- options]`
 *
 *   --quick               smoke run (< 1 min): 1,000 idle sockets, 100 pairs, 1k and 2k msg/s for 3 s
 *   --only courier|bare   one side only
 *   --rates 1000,2000,…   the ladder (msg/s); --step-seconds 10; --retries 1 (re-runs of a failing step)
 *   --idle 10000          idle connections; --pairs 500
 *   --json file           also write every number as JSON
 *   --cpu-prof            V8 CPU profile of the Courier server into bench/server/profiles/
 *                         (read it with bench/server/profile-summary.ts)
 *   env BENCH_SERVER_FLAGS / BENCH_GENERATOR_FLAGS: extra node flags (e.g. --trace-gc);
 *   env BENCH_COURIER_ARGS: extra Courier server options (e.g. "--commit-interval-ms 5");
 *   env BENCH_SERVER_LOG=file: keep everything the servers print.
 *
 * Courier server throughput, latency and memory next to a bare `ws` relay, everything on
 * 127.0.0.1. Prints a table; asserts nothing (this is a benchmark, not a test). Method and
 * the latest numbers: docs/benchmarks.md.
 *
 * Processes: this orchestrator; the server under test as a child (`node --import tsx
 * src/server/main.ts`, temp data dir, limits raised by flags) or the bare relay
 * (bench/server/bare-relay.ts); two load generators (bench/server/generator.ts) speaking the
 * protocol over raw `ws`. Every child is stopped and the temp dir removed on exit, on
 * failure and on Ctrl+C; children also stop themselves if this process vanishes.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { API_PREFIX, WS_PATH } from '../../src/shared/protocol';
import { cpuSeconds, percentile, rssKiB, sleep, type IdleReport, type Job, type Reply, type StepReport, type Target } from './shared';

// ---------------------------------------------------------------------------------------
// Settings

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    json: { type: 'string' },
    only: { type: 'string' },
    rates: { type: 'string' },
    'step-seconds': { type: 'string' },
    retries: { type: 'string' },
    idle: { type: 'string' },
    pairs: { type: 'string' },
  },
  strict: true,
});

const QUICK = flags.quick === true;
const ROOT = resolve(import.meta.dirname, '..', '..');
const settings = {
  idleConnections: Number(flags.idle ?? (QUICK ? 1_000 : 10_000)),
  pairs: Number(flags.pairs ?? (QUICK ? 100 : 500)),
  rates: (flags.rates ?? (QUICK ? '1000,2000' : '1000,2000,4000,5000,6000,8000,10000,12000,15000,20000,25000,30000,35000,40000,50000,60000'))
    .split(',')
    .map(Number),
  /** A failing step is run again this many times before the ladder stops (noisy shared machines). */
  retries: Number(flags.retries ?? 1),
  stepMs: Number(flags['step-seconds'] ?? (QUICK ? 3 : 10)) * 1000,
  graceMs: QUICK ? 2_000 : 5_000,
  /** The reference rate for the latency row. */
  latencyRate: QUICK ? 2_000 : 5_000,
  p99LimitMs: 50,
  /** The whole run is cut off past this, whatever happens. */
  deadlineMs: QUICK ? 3 * 60_000 : 20 * 60_000,
  targets: (flags.only ? [flags.only] : ['courier', 'bare']) as Target[],
};
for (const [name, n] of Object.entries({ idle: settings.idleConnections, pairs: settings.pairs, 'step-seconds': settings.stepMs, retries: settings.retries })) {
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: expected a whole number`);
}
if (settings.rates.some((r) => !(r > 0)) || settings.idleConnections > 18_000) throw new Error('--rates: positive numbers; --idle: at most 18000 (open-file limit)');
const WORKERS = 2;
/** Raised limits: the token buckets and connection caps must not be what the benchmark measures. */
const SERVER_FLAGS = [
  '--log-level', 'warn', '--rate-messages', '100000', '--rate-frames', '100000', '--max-connections', '50000',
  '--http-max-connections', '100000', '--http-max-connections-per-ip', '100000', '--hash-queue', '64',
  // env BENCH_COURIER_ARGS: more server options to compare settings, e.g. "--commit-interval-ms 5"
  ...(process.env.BENCH_COURIER_ARGS ?? '').split(' ').filter(Boolean),
];
const PASSWORD = 'benchmark-password-1';

// ---------------------------------------------------------------------------------------
// Children and cleanup

const children = new Set<ChildProcess>();
const tempDir = mkdtempSync(join(tmpdir(), 'courier-bench-'));
const profileDir = join(ROOT, 'bench', 'server', 'profiles');
let cleaning: Promise<void> | null = null;

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after `ms`; resolves when the child has exited. */
function stopChild(child: ChildProcess, ms = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children].map((c) => stopChild(c, 5_000)));
    rmSync(tempDir, { recursive: true, force: true });
  })();
  return cleaning;
}

let aborted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (cleaning) return;
    aborted = true; // what the interrupted steps report from now on is noise
    process.stderr.write(`\n${signal}: stopping children and removing ${tempDir}\n`);
    void cleanup().finally(() => process.exit(130));
  });
}
const deadline = setTimeout(() => {
  aborted = true;
  process.stderr.write(`\nthe benchmark ran past its ${settings.deadlineMs / 60_000} min limit: stopping\n`);
  void cleanup().finally(() => process.exit(1));
}, settings.deadlineMs);
deadline.unref();

// ---------------------------------------------------------------------------------------
// Load generators

class Generator {
  private readonly child: ChildProcess;
  private waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;

  constructor(readonly index: number) {
    this.child = track(
      fork(join(ROOT, 'bench', 'server', 'generator.ts'), [], {
        cwd: ROOT,
        execArgv: ['--import', 'tsx', ...(process.env.BENCH_GENERATOR_FLAGS ?? '').split(' ').filter(Boolean)],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    this.child.on('message', (reply: Reply) => {
      const w = this.waiting;
      this.waiting = null;
      if (!w) return;
      if (reply.ok) w.resolve(reply);
      else w.reject(new Error(`generator ${index} failed at ${reply.cmd}: ${reply.error}`));
    });
    this.child.once('exit', (code, signal) => this.waiting?.reject(new Error(`generator ${index} exited (${code ?? signal})`)));
  }

  /** The address its sockets come from: each generator has its own ephemeral port range. */
  get localAddress(): string {
    return `127.0.200.${this.index + 1}`;
  }

  ask<C extends Job['cmd']>(job: Job & { cmd: C }, timeoutMs: number): Promise<Extract<Reply, { ok: true; cmd: C }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`generator ${this.index}: no answer to ${job.cmd} in ${timeoutMs} ms`)), timeoutMs);
      this.waiting = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r as Extract<Reply, { ok: true; cmd: C }>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.child.send(job);
    });
  }

  stop(): Promise<void> {
    return stopChild(this.child, 3_000);
  }
}

// ---------------------------------------------------------------------------------------
// Servers under test

interface ServerUnderTest {
  target: Target;
  pid: number;
  httpUrl: string;
  /** Courier's metrics listener (http://127.0.0.1:port/metrics); the relay has none. */
  metricsUrl: string | null;
  wsUrl: string;
  child: ChildProcess;
  output(): string;
}

function capture(child: ChildProcess): () => string {
  let out = '';
  const logFile = process.env.BENCH_SERVER_LOG; // experiments: keep everything the servers print
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => out;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

/** Node flags for both servers under test, for experiments: BENCH_SERVER_FLAGS="--trace-gc". */
const extraServerFlags = () => (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);

async function startCourier(): Promise<ServerUnderTest> {
  const port = await freePort();
  const metricsPort = await freePort();
  const dataDir = join(tempDir, 'courier-data');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COURIER_')));
  const prof = flags['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const guard = pathToFileURL(join(ROOT, 'bench', 'server', 'orphan-guard.ts')).href;
  const child = track(
    spawn(
      process.execPath,
      ['--import', 'tsx', '--import', guard, ...prof, ...extraServerFlags(), join(ROOT, 'src', 'server', 'main.ts'), '--host', '127.0.0.1', '--port', String(port), '--metrics-port', String(metricsPort), '--data-dir', dataDir, ...SERVER_FLAGS],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
  const output = capture(child);
  const httpUrl = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`courier exited at start (${child.exitCode}):\n${output()}`);
    const status = await httpGet(`${httpUrl}/healthz`).then((r) => r.status, () => 0);
    if (status === 200) break;
    if (Date.now() > until) throw new Error(`courier not healthy within 30 s:\n${output()}`);
    await sleep(100);
  }
  return { target: 'courier', pid: child.pid!, httpUrl, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, wsUrl: `ws://127.0.0.1:${port}${WS_PATH}`, child, output };
}

async function startBare(): Promise<ServerUnderTest> {
  const child = track(spawn(process.execPath, ['--import', 'tsx', ...extraServerFlags(), join(ROOT, 'bench', 'server', 'bare-relay.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
  const output = capture(child);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bare relay did not start:\n${output()}`)), 30_000);
    child.stdout!.on('data', () => {
      const match = /listening (\d+)/.exec(output());
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`bare relay exited (${code}):\n${output()}`)));
  });
  return { target: 'bare', pid: child.pid!, httpUrl: `http://127.0.0.1:${port}`, metricsUrl: null, wsUrl: `ws://127.0.0.1:${port}`, child, output };
}

// ---------------------------------------------------------------------------------------
// HTTP (accounts, and /metrics on its own listener)

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * POST JSON from a given loopback source address. The server allows 20 credential
 * requests per IP and then 1/s (there is no flag for it), so setup spreads its calls over
 * many 127.x.y.z addresses, as that many real clients would come from different addresses.
 */
function postJson(url: string, body: unknown, localAddress: string): Promise<{ status: number; json: unknown }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: false, localAddress, timeout: 60_000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

let sourceCounter = 0;
/** A fresh source address every 15 requests (the per-IP burst is 20). */
function nextSource(): string {
  const n = Math.floor(sourceCounter++ / 15);
  return `127.0.${1 + Math.floor(n / 250)}.${2 + (n % 250)}`;
}

interface Account {
  userId: string;
  token: string;
}

async function registerUsers(server: ServerUnderTest, count: number): Promise<Account[]> {
  const accounts = new Array<Account>(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const username = `bench-${String(i).padStart(5, '0')}`;
      for (let attempt = 0; ; attempt++) {
        const res = await postJson(`${server.httpUrl}${API_PREFIX}/auth/register`, { username, password: PASSWORD, deviceName: 'bench' }, nextSource());
        if (res.status === 201) {
          const r = res.json as { user: { id: string }; tokens: { accessToken: string } };
          accounts[i] = { userId: r.user.id, token: r.tokens.accessToken };
          break;
        }
        if (res.status !== 429 || attempt >= 5) throw new Error(`register ${username}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
      }
    }
  };
  // scrypt runs on libuv's 4 threads; 8 in flight keeps them busy without queueing much.
  await Promise.all(Array.from({ length: 8 }, lane));
  return accounts;
}

/**
 * Courier's /metrics (Prometheus text) as name{labels} → value, or the relay's /stats.
 * Either read resets the event-loop delay histogram, so a read after a step covers it.
 */
async function scrape(server: ServerUnderTest): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (server.metricsUrl === null) {
    const stats = JSON.parse((await httpGet(`${server.httpUrl}/stats`)).body) as { loopP99Ms: number; loopMaxMs: number };
    out.set('loop_p99_ms', stats.loopP99Ms);
    out.set('loop_max_ms', stats.loopMaxMs);
    return out;
  }
  const { body } = await httpGet(server.metricsUrl);
  for (const line of body.split('\n')) {
    if (line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    if (space > 0) out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  out.set('loop_p99_ms', (out.get('courier_process_nodejs_eventloop_lag_p99_seconds') ?? Number.NaN) * 1000);
  out.set('loop_max_ms', (out.get('courier_process_nodejs_eventloop_lag_max_seconds') ?? Number.NaN) * 1000);
  let gc = 0;
  for (const [k, v] of out) if (k.startsWith('courier_process_nodejs_gc_duration_seconds_sum')) gc += v;
  out.set('gc_seconds', gc);
  return out;
}

// ---------------------------------------------------------------------------------------
// Phases

interface IdleResult {
  connections: number;
  failed: number;
  rssBeforeKiB: number;
  rssAfterKiB: number;
  perConnectionKiB: number;
  openSeconds: number;
}

interface StepResult {
  rate: number;
  sent: number;
  achievedRate: number;
  lost: number;
  duplicates: number;
  misrouted: number;
  errors: number;
  firstError: string | null;
  ackP50: number;
  ackP99: number;
  ackMax: number;
  deliverP50: number;
  deliverP99: number;
  deliverMax: number;
  maxSendLagMs: number;
  generatorLoopMaxMs: number;
  /** The server's event-loop delay during the step (ms). */
  serverLoopP99Ms: number;
  serverLoopMaxMs: number;
  serverCores: number;
  attempt: number;
  generatorCores: number;
  pass: boolean;
  why: string;
  /** Courier only: from its /metrics. */
  commits?: number;
  avgBatch?: number;
  avgCommitMs?: number;
  serverAckAvgMs?: number;
  /** Share of the step's wall time the server spent in GC. */
  serverGcShare?: number;
}

interface TargetResult {
  target: Target;
  setupSeconds: number;
  users: number;
  idle: IdleResult;
  steps: StepResult[];
  maxRate: number;
  at5k: StepResult | null;
  rssAfterLadderKiB: number;
}

async function idlePhase(server: ServerUnderTest, gens: Generator[], tokens: string[]): Promise<IdleResult> {
  await sleep(2_000);
  const rssBeforeKiB = rssKiB(server.pid);
  const per = Math.ceil(settings.idleConnections / gens.length);
  const started = performance.now();
  const reports: IdleReport[] = (
    await Promise.all(
      gens.map((g, worker) =>
        g.ask({ cmd: 'idle', target: server.target, url: server.wsUrl, count: per, tokens, localAddress: g.localAddress, concurrency: 100, worker }, 180_000),
      ),
    )
  ).map((r) => r.report);
  const openSeconds = (performance.now() - started) / 1000;
  await sleep(3_000);
  const rssAfterKiB = rssKiB(server.pid);
  const connections = reports.reduce((n, r) => n + r.opened, 0);
  const failed = reports.reduce((n, r) => n + r.failed, 0);
  if (failed > 0) log(`  ${failed} idle connections failed, e.g. ${reports.find((r) => r.firstError)?.firstError}`);
  return { connections, failed, rssBeforeKiB, rssAfterKiB, perConnectionKiB: (rssAfterKiB - rssBeforeKiB) / Math.max(1, connections), openSeconds };
}

async function runStep(server: ServerUnderTest, gens: Generator[], step: number, rate: number, durationMs = settings.stepMs): Promise<StepResult> {
  const before = await scrape(server);
  const cpu0 = cpuSeconds(server.pid);
  const t0 = performance.now();
  const reports: StepReport[] = (
    await Promise.all(
      gens.map((g) => g.ask({ cmd: 'step', step, rate: rate / gens.length, durationMs, graceMs: settings.graceMs }, durationMs + settings.graceMs + 60_000)),
    )
  ).map((r) => r.report);
  const wall = (performance.now() - t0) / 1000;
  const serverCpu = cpuSeconds(server.pid) - cpu0;
  const after = await scrape(server);
  const sum = (f: (r: StepReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const merge = (f: (r: StepReport) => Float64Array) => {
    const all = new Float64Array(sum((r) => f(r).length));
    let at = 0;
    for (const r of reports) {
      all.set(f(r), at);
      at += f(r).length;
    }
    return all.sort();
  };
  const ack = merge((r) => r.ackMs);
  const deliver = merge((r) => r.deliverMs);
  const sent = sum((r) => r.sent);
  const sendSeconds = Math.max(durationMs / 1000, ...reports.map((r) => r.sendSeconds));
  const result: StepResult = {
    rate,
    sent,
    achievedRate: sent / sendSeconds,
    lost: sum((r) => r.lost),
    duplicates: sum((r) => r.duplicates),
    misrouted: sum((r) => r.misrouted),
    errors: sum((r) => r.errors),
    firstError: reports.find((r) => r.firstError)?.firstError ?? null,
    ackP50: percentile(ack, 50),
    ackP99: percentile(ack, 99),
    ackMax: ack[ack.length - 1] ?? Number.NaN,
    deliverP50: percentile(deliver, 50),
    deliverP99: percentile(deliver, 99),
    deliverMax: deliver[deliver.length - 1] ?? Number.NaN,
    maxSendLagMs: Math.max(...reports.map((r) => r.maxSendLagMs)),
    generatorLoopMaxMs: Math.max(...reports.map((r) => r.loopDelayMaxMs)),
    serverLoopP99Ms: after.get('loop_p99_ms') ?? Number.NaN,
    serverLoopMaxMs: after.get('loop_max_ms') ?? Number.NaN,
    attempt: 1,
    serverCores: serverCpu / wall,
    generatorCores: sum((r) => r.cpuSeconds) / wall,
    pass: false,
    why: '',
  };
  const why: string[] = [];
  if (result.lost > 0) why.push(`${result.lost} lost`);
  if (result.duplicates > 0) why.push(`${result.duplicates} duplicated`);
  if (result.misrouted > 0) why.push(`${result.misrouted} misrouted`);
  if (result.errors > 0) why.push(`${result.errors} errors (${result.firstError})`);
  if (!(result.ackP99 < settings.p99LimitMs)) why.push(`ack p99 ${fmt(result.ackP99)} ms`);
  if (!(result.deliverP99 < settings.p99LimitMs)) why.push(`deliver p99 ${fmt(result.deliverP99)} ms`);
  if (result.achievedRate < rate * 0.97) why.push(`offered only ${Math.round(result.achievedRate)}/s`);
  result.pass = why.length === 0;
  result.why = why.join(', ');
  if (server.target === 'courier') {
    const d = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
    const commits = d('courier_commit_batch_size_count{kind="messages"}');
    result.commits = commits;
    result.avgBatch = d('courier_commit_batch_size_sum{kind="messages"}') / Math.max(1, commits);
    result.avgCommitMs = (d('courier_commit_seconds_sum{kind="messages"}') * 1000) / Math.max(1, commits);
    result.serverAckAvgMs = (d('courier_message_ack_seconds_sum') * 1000) / Math.max(1, d('courier_message_ack_seconds_count'));
    result.serverGcShare = d('gc_seconds') / wall;
  }
  return result;
}

async function benchTarget(target: Target, gens: Generator[]): Promise<TargetResult> {
  log(`\n== ${target === 'courier' ? 'Courier server' : 'bare ws relay'} ==`);
  const server = target === 'courier' ? await startCourier() : await startBare();
  try {
    log(`  started, pid ${server.pid}, RSS ${mib(rssKiB(server.pid))} MiB`);
    const users = settings.pairs * 2;
    let accounts: Account[] = Array.from({ length: users }, () => ({ userId: '', token: '' }));
    let setupSeconds = 0;
    if (target === 'courier') {
      const t = performance.now();
      accounts = await registerUsers(server, users);
      setupSeconds = (performance.now() - t) / 1000;
      log(`  registered ${users} users over HTTP in ${setupSeconds.toFixed(1)} s (${(users / setupSeconds).toFixed(0)}/s, scrypt-bound)`);
    }

    const idle = await idlePhase(server, gens, accounts.map((a) => a.token));
    log(
      `  idle: ${idle.connections} connections open in ${idle.openSeconds.toFixed(1)} s; RSS ${mib(idle.rssBeforeKiB)} → ${mib(idle.rssAfterKiB)} MiB = ${idle.perConnectionKiB.toFixed(2)} KiB per connection`,
    );

    const pairs = Array.from({ length: settings.pairs }, (_, index) => ({ index, a: accounts[2 * index]!, b: accounts[2 * index + 1]! }));
    await Promise.all(
      gens.map((g, w) =>
        g.ask({ cmd: 'pairs', target, url: server.wsUrl, pairs: pairs.filter((p) => p.index % gens.length === w), localAddress: g.localAddress }, 120_000),
      ),
    );
    await Promise.all(gens.map((g) => g.ask({ cmd: 'closeIdle' }, 60_000)));
    await waitForConnections(server, users);
    log(`  ${settings.pairs} pairs connected${target === 'courier' ? ', each with a direct conversation' : ''}; idle sockets closed`);

    log(`  ladder: ${settings.stepMs / 1000} s per step; pass = p99 ack and deliver < ${settings.p99LimitMs} ms, nothing lost or duplicated; a failing step is retried ${settings.retries}×`);
    log(`  ${'rate/s'.padStart(7)} ${'sent/s'.padStart(7)}  ack p50/p99/max ms      deliver p50/p99/max ms  srv cores  gen cores  stall ms srv/gen  ${target === 'courier' ? 'batch  commit ms  gc %  ' : ''}result`);
    let step = 0;
    // Warm-up (JIT, SQLite page cache, socket buffers); not reported.
    await runStep(server, gens, ++step, settings.rates[0]!, Math.min(settings.stepMs, 3_000));
    await sleep(1_000);
    const steps: StepResult[] = [];
    let maxRate = 0;
    ladder: for (const rate of settings.rates) {
      for (let attempt = 1; attempt <= 1 + settings.retries; attempt++) {
        const r = await runStep(server, gens, ++step, rate);
        r.attempt = attempt;
        steps.push(r);
        logStep(r, target);
        await sleep(1_000);
        if (r.pass) {
          maxRate = rate;
          continue ladder;
        }
        if (attempt <= settings.retries) await sleep(2_000); // let a hiccup pass, then once more
      }
      break;
    }
    let at5k = steps.filter((s) => s.rate === settings.latencyRate).at(-1) ?? null;
    if (!at5k && settings.rates.includes(settings.latencyRate)) {
      log(`  extra step at ${settings.latencyRate}/s for the latency row:`);
      await sleep(2_000);
      at5k = await runStep(server, gens, ++step, settings.latencyRate);
      logStep(at5k, target);
    }
    const rssAfterLadderKiB = rssKiB(server.pid);
    await Promise.all(gens.map((g) => g.ask({ cmd: 'closePairs' }, 60_000)));
    return { target, setupSeconds, users, idle, steps, maxRate, at5k, rssAfterLadderKiB };
  } catch (error) {
    log(`\n${target} failed; its last output:\n${server.output()}`);
    throw error;
  } finally {
    await stopChild(server.child);
    const output = server.output().replace(/^listening \d+\n/, '').trim();
    if (output) log(`  ${target} wrote while running (last lines):\n${output.split('\n').slice(-5).join('\n')}`);
  }
}

/** Courier counts authenticated sockets in /metrics; the relay just gets a moment. */
async function waitForConnections(server: ServerUnderTest, expected: number): Promise<void> {
  if (server.target !== 'courier') return sleep(2_000);
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if ((await scrape(server)).get('courier_connections') === expected) return sleep(500);
    await sleep(200);
  }
  log(`  warning: courier still reports ${(await scrape(server)).get('courier_connections')} connections, expected ${expected}`);
}

// ---------------------------------------------------------------------------------------
// Output

function log(line: string): void {
  if (!aborted) process.stdout.write(`${line}\n`);
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));
const mib = (kib: number) => (kib / 1024).toFixed(1);

function logStep(r: StepResult, target: Target): void {
  const lat = (a: number, b: number, c: number) => `${fmt(a, 2)}/${fmt(b, 2)}/${fmt(c, 0)}`.padEnd(23);
  const courier =
    target === 'courier' ? `${fmt(r.avgBatch, 1).padStart(5)}  ${fmt(r.avgCommitMs, 2).padStart(9)}  ${fmt((r.serverGcShare ?? Number.NaN) * 100, 1).padStart(4)}  ` : '';
  log(
    `  ${String(r.rate).padStart(7)} ${String(Math.round(r.achievedRate)).padStart(7)}  ${lat(r.ackP50, r.ackP99, r.ackMax)} ${lat(r.deliverP50, r.deliverP99, r.deliverMax)} ${fmt(r.serverCores, 2).padStart(9)}  ${fmt(r.generatorCores, 2).padStart(9)}  ${`${fmt(r.serverLoopMaxMs, 0)}/${fmt(r.generatorLoopMaxMs, 0)}`.padStart(16)}  ${courier}${r.pass ? 'pass' : `FAIL: ${r.why}`}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''}`,
  );
}

function machine(): Record<string, string> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: String(cpus().length),
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    ram: `${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free at start)`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

function finalTable(results: TargetResult[], m: Record<string, string>, runSeconds: number): void {
  const c = results.find((r) => r.target === 'courier');
  const b = results.find((r) => r.target === 'bare');
  const ratio = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined || !y ? '–' : `${(x / y).toFixed(2)}×`);
  const rows: string[][] = [['metric', 'courier', 'bare ws relay', 'ratio courier/bare']];
  const idleN = c?.idle.connections ?? b?.idle.connections ?? 0;
  rows.push([`RSS per idle connection (${idleN} open), KiB`, fmt(c?.idle.perConnectionKiB, 2), fmt(b?.idle.perConnectionKiB, 2), ratio(c?.idle.perConnectionKiB, b?.idle.perConnectionKiB)]);
  rows.push([`time to open ${idleN} connections, s`, fmt(c?.idle.openSeconds), fmt(b?.idle.openSeconds), ratio(c?.idle.openSeconds, b?.idle.openSeconds)]);
  const maxLabel = (r: TargetResult | undefined) => {
    if (!r) return '–';
    return `${r.maxRate}${r.maxRate === settings.rates.at(-1) ? '+ (ladder top)' : ''}`;
  };
  rows.push([`max sustained msg/s (${settings.pairs} pairs; p99 < ${settings.p99LimitMs} ms, 0 lost)`, maxLabel(c), maxLabel(b), ratio(c?.maxRate, b?.maxRate)]);
  const at = (r: TargetResult | undefined, f: (s: StepResult) => number) => (r?.at5k ? f(r.at5k) : undefined);
  const pct = (label: string, f: (s: StepResult) => number) => rows.push([label, fmt(at(c, f), 2), fmt(at(b, f), 2), ratio(at(c, f), at(b, f))]);
  pct(`send→ack p50 at ${settings.latencyRate}/s, ms`, (s) => s.ackP50);
  pct(`send→ack p99 at ${settings.latencyRate}/s, ms`, (s) => s.ackP99);
  pct(`send→deliver p50 at ${settings.latencyRate}/s, ms`, (s) => s.deliverP50);
  pct(`send→deliver p99 at ${settings.latencyRate}/s, ms`, (s) => s.deliverP99);
  pct(`server CPU at ${settings.latencyRate}/s, cores`, (s) => s.serverCores);
  // CPU per message where both still passed: the ratio that does not depend on the box.
  const common = Math.min(c?.maxRate ?? Infinity, b?.maxRate ?? Infinity);
  const cpuAt = (r: TargetResult | undefined) => {
    const step = r?.steps.filter((st) => st.rate === common && st.pass).at(-1);
    return step ? (step.serverCores * 1e6) / step.rate : undefined;
  };
  if (Number.isFinite(common) && common > 0) {
    rows.push([`server CPU per message at ${common}/s, µs`, fmt(cpuAt(c), 1), fmt(cpuAt(b), 1), ratio(cpuAt(c), cpuAt(b))]);
  }
  rows.push(['acked means durable (fsync before ack)', 'yes', 'no (no storage)', '']);
  if (c) rows.push([`setup: register ${c.users} users over HTTP, s`, fmt(c.setupSeconds), '', '']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  log(`\n${line(rows[0]!)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows.slice(1)) log(line(r));
  log(`\nmachine: ${m.nproc} × ${m.cpu}, ${m.ram}, node ${m.node}, ${m.date}; run took ${runSeconds.toFixed(0)} s${QUICK ? ' (--quick)' : ''}`);
  log('server and both load generators share the same cores: the numbers are for the whole box, not the server alone.');
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const m = machine();
  log(`courier server benchmark${QUICK ? ' (quick)' : ''}: ${m.nproc} × ${m.cpu}, ${m.ram}, node ${m.node}`);
  log(
    `${settings.idleConnections} idle connections; ${settings.pairs} pairs; ladder ${settings.rates.join(', ')} msg/s, ${settings.stepMs / 1000} s each; temp dir ${tempDir}`,
  );
  const gens = Array.from({ length: WORKERS }, (_, i) => new Generator(i));
  const results: TargetResult[] = [];
  try {
    for (const target of settings.targets) results.push(await benchTarget(target, gens));
  } finally {
    await Promise.all(gens.map((g) => g.stop()));
  }
  const runSeconds = (performance.now() - started) / 1000;
  finalTable(results, m, runSeconds);
  if (flags.json) writeFileSync(flags.json, JSON.stringify({ machine: m, settings, runSeconds, results }, null, 2));
  if (flags['cpu-prof']) log(`CPU profile of the Courier server written to ${profileDir}`);
}

main()
  .then(() => cleanup())
  .then(
    () => process.exit(0),
    async (error: unknown) => {
      if (aborted) return; // the signal handler cleans up and exits
      process.stderr.write(`\nbenchmark failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      await cleanup();
      process.exit(1);
    },
  );
