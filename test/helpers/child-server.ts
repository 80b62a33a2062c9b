import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * The real server (`src/server/main.ts`) as a child process, for tests that need what an
 * in-process server cannot give: SIGKILL at any instant, real signal handling, exit codes.
 *
 * It runs as `node --import tsx src/server/main.ts`, not through `node_modules/.bin/tsx`:
 * the tsx CLI starts the program in a second (grandchild) process, so a SIGKILL of the
 * pid we hold would kill only the wrapper and leave the server running.
 */
const ROOT = process.cwd();
const MAIN = join(ROOT, 'src', 'server', 'main.ts');
const START_TIMEOUT_MS = 15_000;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildServer {
  /** http://127.0.0.1:port, from the "courier server listening" log line. */
  url: string;
  pid: number;
  dataDir: string;
  kill(signal: NodeJS.Signals): void;
  /** Resolves (never rejects) when the process has exited. */
  exited: Promise<ChildExit>;
  /** Everything written so far, for assertions and failure messages. */
  stdout(): string;
  stderr(): string;
  /** The JSON log lines seen on stdout so far. */
  logs(): Array<Record<string, unknown>>;
}

export interface ChildServerOptions {
  dataDir: string;
  /** Extra flags after the defaults (later flags win). */
  args?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

const live = new Set<ChildProcess>();

/** Starts the server on port 0 in `dataDir` (kept as-is: restarts see the same data). */
export function startChildServer(o: ChildServerOptions): Promise<ChildServer> {
  const args = ['--port', '0', '--metrics-port', '0', '--host', '127.0.0.1', '--data-dir', o.dataDir, '--log-level', 'info', ...GENEROUS_BUDGETS, ...(o.args ?? [])];
  const run = spawnServer(args, o.env);
  const { child } = run;

  return new Promise<ChildServer>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`courier child server ${why}\n--- args: ${args.join(' ')}\n--- stderr:\n${run.stderr()}\n--- stdout:\n${run.stdout()}`));
    };
    const timer = setTimeout(() => fail(`did not log "courier server listening" within ${o.timeoutMs ?? START_TIMEOUT_MS} ms`), o.timeoutMs ?? START_TIMEOUT_MS);
    void run.exited.then((e) => fail(`exited before listening (code ${e.code}, signal ${e.signal})`));
    run.onLog((line) => {
      if (settled || line['msg'] !== 'courier server listening' || typeof line['url'] !== 'string') return;
      settled = true;
      clearTimeout(timer);
      resolve({
        url: line['url'],
        pid: child.pid!,
        dataDir: o.dataDir,
        kill: (signal) => void child.kill(signal),
        exited: run.exited,
        stdout: run.stdout,
        stderr: run.stderr,
        logs: run.logs,
      });
    });
  });
}

export interface CliResult extends ChildExit {
  stdout: string;
  stderr: string;
}

/**
 * Budgets far above what a test does (a test process is many users at once); a test's own
 * args come later and win.
 */
const GENEROUS_BUDGETS = [
  '--budget-groups-per-hour', '1000000',
  '--budget-members-per-hour', '10000000',
  '--budget-directs-per-hour', '1000000',
  '--budget-changes-per-minute', '1000000',
  '--budget-reads-per-sec', '1000000',
  '--budget-read-bytes-per-sec', String(1 << 30),
  '--budget-searches-per-minute', '1000000',
];

/** Runs main.ts with exactly `args` to completion (config errors, --help). */
export async function runServerCli(args: string[], env?: Record<string, string>, timeoutMs = 15_000): Promise<CliResult> {
  const run = spawnServer(args, env);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const exit = await run.exited;
  clearTimeout(timer);
  return { ...exit, stdout: run.stdout(), stderr: run.stderr() };
}

/** SIGKILLs every child still running and waits for each to be gone (afterEach/afterAll). */
export async function killAllChildServers(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

function spawnServer(args: string[], env: Record<string, string> = {}) {
  // The child's configuration is exactly what the test says: no COURIER_* leaking in.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('COURIER_')));
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let err = '';
  let partial = '';
  const logs: Array<Record<string, unknown>> = [];
  const listeners = new Set<(line: Record<string, unknown>) => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const text of lines) {
      const line = parseJsonLine(text);
      if (!line) continue;
      logs.push(line);
      for (const l of listeners) l(line);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (e) => {
      err += `\nspawn error: ${e.message}`;
      live.delete(child);
      resolve({ code: null, signal: null });
    });
    // 'close', not 'exit': by then stdout and stderr are complete.
    child.once('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    logs: () => logs,
    onLog: (l: (line: Record<string, unknown>) => void) => listeners.add(l),
  };
}

function parseJsonLine(text: string): Record<string, unknown> | null {
  if (!text.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
