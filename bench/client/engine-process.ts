// The desktop engine alone in a process, as it runs in Electron's main process while the
// window is closed: used by the catch-up benchmark to time a catch-up end to end and to
// measure the engine's memory without the benchmark's own allocations in the way.
//   node --expose-gc <bundle of this file> <profileDir> signin <serverUrl> <user> <password>
//   node --expose-gc <bundle of this file> <profileDir> resume
//   node --expose-gc <bundle of this file> <profileDir> baseline
// (catch-up.ts bundles it with esbuild first.) Prints one JSON line with the measurements and exits.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import '../server/orphan-guard';

const [profileDir, mode, serverUrl, username, password] = process.argv.slice(2);
if (!profileDir || !mode) throw new Error('usage: engine-process.ts <profileDir> signin|resume|baseline ...');

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rssMB: m.rss / 2 ** 20, heapUsedMB: m.heapUsed / 2 ** 20, externalMB: m.external / 2 ** 20 };
}

if (mode === 'baseline') {
  // Node plus the engine's modules loaded, nothing opened: what the runtime costs by itself.
  await import('../../src/client/app/create-desktop-core');
  process.stdout.write(`${JSON.stringify({ memory: memory() })}\n`);
  process.exit(0);
}

const { createDesktopCore } = await import('../../src/client/app/create-desktop-core');
mkdirSync(profileDir, { recursive: true });
const vaultFile = join(profileDir, 'bench-vault');
const core = await createDesktopCore({
  profileDir,
  deviceName: 'bench',
  vault: {
    read: () => Promise.resolve(readOrNull(vaultFile)),
    write: (s) => Promise.resolve(s === null ? rmSync(vaultFile, { force: true }) : writeFileSync(vaultFile, s)),
  },
  shell: { openExternal: () => Promise.resolve(), settingsChanged: () => {} },
});

const startedAt = performance.now();
let connectedAt = 0;
let batches = 0;
let messages = 0;
const online = new Promise<void>((resolve) => {
  core.subscribe((event, payload) => {
    if (event === 'connection') {
      const status = (payload as { status: string }).status;
      if (status === 'catchingUp' && connectedAt === 0) connectedAt = performance.now();
      if (status === 'online') resolve();
    }
    if (event === 'messages.changed' && (payload as { origin: string }).origin === 'sync') {
      batches++;
      messages += (payload as { messages: unknown[] }).messages.length;
    }
  });
});

if (mode === 'signin') {
  const result = await core.dispatch('session.signIn', { serverUrl, username, password });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
}
await online;
const onlineAt = performance.now();
// Let the delivery receipts drain and the heap settle, as it would sitting in the tray.
await new Promise((r) => setTimeout(r, 1500));
const report = {
  catchUpMs: onlineAt - (connectedAt || startedAt),
  startToOnlineMs: onlineAt - startedAt,
  batches,
  messages,
  memory: memory(),
};
await core.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
