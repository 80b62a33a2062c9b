#!/usr/bin/env node
// Builds better-sqlite3 for the installed Electron's ABI into a separate cache file, so the
// Node build in node_modules (used by the server, tests and benchmarks) stays as it is:
//
//   node_modules/.cache/courier-electron/electron-<v>/better-sqlite3-<v>/better_sqlite3.node
//
// A development run of the app passes that file to better-sqlite3 as `nativeBinding`
// (src/main/native-binding.ts computes the same path; a test checks they agree). Packaged
// apps do not use it: electron-builder rebuilds node_modules for Electron itself.
//
// How: copy the better-sqlite3 package to a temporary folder and run node-gyp there with
// --runtime=electron --target=<electron version>, then copy the .node file into the cache.
//
//   node scripts/electron-native.mjs                build if missing (npm run dev does this)
//   node scripts/electron-native.mjs --force        rebuild even if present
//   node scripts/electron-native.mjs --print-path   print where the build goes, and exit
//   node scripts/electron-native.mjs --postinstall  as npm's postinstall: never fails
//
// It skips (exit 0, one line) when ELECTRON_SKIP_BINARY_DOWNLOAD is set or Electron's
// binary is absent: without Electron there is nothing to load the build, and such
// machines usually cannot download Electron's headers either.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const args = new Set(process.argv.slice(2));
const postinstall = args.has('--postinstall');
const HEADERS_URL = 'https://electronjs.org/headers';

function say(message) {
  console.log(`[electron-native] ${message}`);
}

function versionOf(pkg) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Keep in step with electronNativeBindingPath() in src/main/native-binding.ts. */
export function bindingPath(root, electronVersion, sqliteVersion) {
  return join(root, 'node_modules', '.cache', 'courier-electron', `electron-${electronVersion}`, `better-sqlite3-${sqliteVersion}`, 'better_sqlite3.node');
}

/** The Electron executable, or undefined when the npm package has no binary. */
function electronBinary() {
  try {
    // The electron package exports the executable's path and throws if it was never downloaded.
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function main() {
  const electronVersion = versionOf('electron');
  const sqliteVersion = versionOf('better-sqlite3');
  if (electronVersion === undefined || sqliteVersion === undefined) {
    say('skipped: electron or better-sqlite3 is not installed.');
    return 0;
  }
  const target = bindingPath(ROOT, electronVersion, sqliteVersion);
  if (args.has('--print-path')) {
    console.log(target);
    return 0;
  }
  if (existsSync(target) && !args.has('--force')) {
    say(`up to date: ${relative(ROOT, target)}`);
    return 0;
  }
  if (process.env['ELECTRON_SKIP_BINARY_DOWNLOAD']) {
    say('skipped: ELECTRON_SKIP_BINARY_DOWNLOAD is set, so there is no Electron to build better-sqlite3 for.');
    return 0;
  }
  if (electronBinary() === undefined) {
    say("skipped: Electron's binary is not installed (node_modules/electron has no dist), so there is no Electron to build for.");
    return 0;
  }
  let nodeGyp;
  try {
    nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    say('failed: node-gyp is not installed (it normally comes with electron-builder).');
    return 1;
  }

  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const work = mkdtempSync(join(tmpdir(), 'courier-better-sqlite3-'));
  try {
    // A copy, so the Node build in node_modules/better-sqlite3/build is never touched.
    cpSync(source, work, {
      recursive: true,
      filter: (path) => {
        const inside = relative(source, path);
        return inside !== 'build' && !inside.startsWith(`build${sep}`) && !inside.startsWith(`node_modules${sep}`) && inside !== 'node_modules';
      },
    });
    say(`building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch}); this takes a minute...`);
    const result = spawnSync(
      process.execPath,
      [nodeGyp, 'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, `--dist-url=${HEADERS_URL}`, `--arch=${process.arch}`],
      { cwd: work, stdio: 'inherit' },
    );
    if (result.status !== 0) {
      say(`failed: node-gyp exited with ${result.status ?? result.signal}. A C++ toolchain and Python are needed (see docs/desktop.md).`);
      return 1;
    }
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (!existsSync(built)) {
      say(`failed: node-gyp did not produce ${built}.`);
      return 1;
    }
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    copyFileSync(built, temp);
    renameSync(temp, target);
    say(`wrote ${relative(ROOT, target)}`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// Run only as a script (the test imports bindingPath).
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let code;
  try {
    code = main();
  } catch (error) {
    say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  }
  if (code !== 0 && postinstall) {
    say('continuing the install without it; run `node scripts/electron-native.mjs` later to retry.');
    code = 0;
  }
  process.exitCode = code;
}
