#!/usr/bin/env node
// `npm run dev`: the Courier server and the desktop app together, in one terminal.
//
// - server: `tsx src/server/main.ts`, data in .courier-dev/server (never your real data)
// - app:    `electron-vite dev`, told where the server is via COURIER_SERVER_URL
//
// Output lines are prefixed [server] / [app]. Ctrl+C (or SIGTERM) stops both; if either
// exits on its own, the other is stopped too and this script exits with its code. If the
// Electron binary is missing, only the server runs. Before the app starts the first time
// for an Electron version, scripts/electron-native.mjs builds better-sqlite3 for it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const isWindows = process.platform === 'win32';

// Explicit values in the environment win, so `COURIER_DATA_DIR=/tmp/x npm run dev` works.
const dataDir = process.env['COURIER_DATA_DIR'] ?? join('.courier-dev', 'server');
const serverUrl = process.env['COURIER_SERVER_URL'] ?? 'http://127.0.0.1:8787';
// Children write to pipes, not a terminal, so they would otherwise drop their colours.
const colorEnv = process.stdout.isTTY && !process.env['NO_COLOR'] && !process.env['FORCE_COLOR'] ? { FORCE_COLOR: '1' } : {};
const useColor = Boolean(process.stdout.isTTY && !process.env['NO_COLOR']);
// How long children get to shut down cleanly before they are killed.
const STOP_TIMEOUT_MS = 8_000;

/** @type {Map<string, import('node:child_process').ChildProcess>} */
const children = new Map();
let shuttingDown = false;
let exitCode = 0;

function label(name, color) {
  return useColor ? `\x1b[${color}m[${name}]\x1b[0m` : `[${name}]`;
}

function say(message) {
  console.log(`${label('dev', '90')} ${message}`);
}

/** The Electron executable, or undefined when the npm package has no binary. */
function findElectronBinary() {
  const override = process.env['ELECTRON_EXEC_PATH'];
  if (override) return existsSync(override) ? override : undefined;
  try {
    // The electron package exports the executable's path and throws if it was never downloaded.
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a package's bin script with this Node, avoiding npx and Windows .cmd shims. */
function binPath(pkg, binName) {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const { bin } = require(manifestPath);
  const relative = typeof bin === 'string' ? bin : bin[binName];
  return join(dirname(manifestPath), relative);
}

function start(name, color, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...colorEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // On POSIX each child gets its own process group: Ctrl+C then reaches only this script,
    // which forwards it exactly once, and a forced stop can take the child's children too.
    detached: !isWindows,
  });
  children.set(name, child);
  const prefix = label(name, color);
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${prefix} ${line}\n`));
  }
  child.on('error', (error) => {
    say(`could not start ${name}: ${error.message}`);
    children.delete(name);
    finish(1);
  });
  child.on('exit', (code, signal) => {
    if (shuttingDown) return;
    say(`${name} exited (${signal ?? `code ${code}`}); stopping everything else`);
    finish(code ?? 1);
  });
  // 'close' comes after the output pipes are drained, so no last lines are lost.
  child.on('close', () => {
    children.delete(name);
    if (children.size === 0) process.exit(exitCode);
  });
}

/** Stops every child; `code` is what this script will exit with. */
function finish(code, signal = 'SIGTERM') {
  if (shuttingDown) return;
  shuttingDown = true;
  exitCode = code;
  if (children.size === 0) process.exit(exitCode);
  for (const child of children.values()) stop(child, signal);
  setTimeout(() => {
    say(`still running after ${STOP_TIMEOUT_MS / 1000}s; killing`);
    for (const child of children.values()) kill(child);
    process.exit(exitCode || 1);
  }, STOP_TIMEOUT_MS).unref();
}

function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

function stop(child, signal) {
  if (!isRunning(child)) return;
  // Windows has no signals: a console Ctrl+C already reached every child, and anything
  // else can only be a forced kill of the process tree.
  if (isWindows) {
    if (signal !== 'SIGINT') kill(child);
    return;
  }
  child.kill(signal);
}

function kill(child) {
  if (!isRunning(child) || child.pid === undefined) return;
  try {
    if (isWindows) spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

// A second signal (npm forwards Ctrl+C too) must not cut a clean shutdown short; the
// timeout in finish() handles children that never stop.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => finish(0, signal));
}

mkdirSync(resolve(ROOT, dataDir), { recursive: true });
say(`server data in ${dataDir}; the app will use ${serverUrl}`);
start('server', '36', [binPath('tsx', 'tsx'), 'src/server/main.ts'], { COURIER_DATA_DIR: dataDir });

if (findElectronBinary() === undefined) {
  say(
    'Electron could not be downloaded on this machine (node_modules/electron has no binary), ' +
      'so the desktop app will not start; the server keeps running until you press Ctrl+C.',
  );
} else {
  // better-sqlite3 needs a build for Electron's ABI beside the Node one; the script returns
  // at once when it exists and otherwise compiles it (once per Electron version).
  const native = spawn(process.execPath, [join(ROOT, 'scripts', 'electron-native.mjs')], { cwd: ROOT, stdio: 'inherit' });
  native.on('exit', (code) => {
    if (shuttingDown) return;
    if (code !== 0) say('the Electron build of better-sqlite3 failed (see above); the app may not open its local store.');
    start('app', '35', [binPath('electron-vite', 'electron-vite'), 'dev'], { COURIER_SERVER_URL: serverUrl });
  });
}
