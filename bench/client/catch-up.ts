// Catch-up end to end: a real server (child process) holds N messages the app missed; the
// engine (its own process, as in the tray) starts, connects, catches up, and goes online.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { CourierHttp, CourierSocket } from '../../src/client';

export interface CatchUpReport {
  messages: number;
  catchUpMs: number;
  startToOnlineMs: number;
  batches: number;
  messagesPerSecond: number;
  engineRssMB: number;
  engineHeapUsedMB: number;
  baselineRssMB: number;
}

const PASSWORD = 'correct horse battery';

export async function runCatchUpBench(o: { messages?: number } = {}): Promise<CatchUpReport> {
  const count = o.messages ?? 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'courier-bench-catchup-'));
  const server = await startServer(join(dir, 'server'));
  try {
    const http = new CourierHttp(server.url);
    const alice = await http.register({ username: 'alice', password: PASSWORD });
    const bob = await http.register({ username: 'bob', password: PASSWORD });
    const bobSocket = await CourierSocket.connect({ serverUrl: server.url, accessToken: bob.tokens.accessToken });
    const { conversation } = await bobSocket.request('conversation.openDirect', { userId: alice.user.id });

    // The engine runs as one bundled file under plain Node, as it runs bundled in Electron's
    // main process (tsx's on-the-fly compiler would add ~50 MB that the app never carries).
    const engine = await bundleEngine();
    // The app signs in once (it learns the conversation), then is closed.
    const profile = join(dir, 'profile');
    await runEngine(engine, [profile, 'signin', server.url, 'alice', PASSWORD]);

    // Bob writes while the app is closed; 200 in flight keeps the server's group commit busy.
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < count; i++) {
      const p = bobSocket.send(conversation.id, `missed message number ${i} about the quarterly plan`).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 200) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await bobSocket.close();

    const resumed = await runEngine(engine, [profile, 'resume']);
    const baseline = await runEngine(engine, [profile, 'baseline']);
    return {
      messages: resumed.messages,
      catchUpMs: resumed.catchUpMs,
      startToOnlineMs: resumed.startToOnlineMs,
      batches: resumed.batches,
      messagesPerSecond: resumed.messages / (resumed.catchUpMs / 1000),
      engineRssMB: resumed.memory.rssMB,
      engineHeapUsedMB: resumed.memory.heapUsedMB,
      baselineRssMB: baseline.memory.rssMB,
    };
  } finally {
    server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

interface EngineReport {
  catchUpMs: number;
  startToOnlineMs: number;
  batches: number;
  messages: number;
  memory: { rssMB: number; heapUsedMB: number };
}

/** bench/client/engine-process.ts as one ESM file next to node_modules (better-sqlite3 stays external: it is native). */
async function bundleEngine(): Promise<string> {
  const outfile = join('node_modules', '.cache', 'courier-bench', 'engine-process.mjs');
  await build({
    entryPoints: ['bench/client/engine-process.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

function runEngine(bundle: string, args: string[]): Promise<EngineReport> {
  const child = spawn(process.execPath, ['--expose-gc', bundle, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as EngineReport);
      else reject(new Error(`engine process ${args[1]} exited with ${code}: ${out}`));
    });
  });
}

async function startServer(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './bench/server/orphan-guard.ts', 'src/server/main.ts', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--rate-messages', '100000', '--rate-frames', '100000'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'courier server listening' && entry.url) resolve(entry.url);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, child };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const messages = Number(process.argv[process.argv.indexOf('--messages') + 1]) || 10_000;
  console.log(await runCatchUpBench({ messages }));
}
