import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RENDERER = join(ROOT, 'src', 'renderer');
const CACHE = join(ROOT, 'node_modules', '.cache', 'courier-e2e');
const BUILDS = join(CACHE, 'renderer');
/** Builds this old of another key are pruned: long enough that no concurrent run still serves them. */
const PRUNE_AFTER_MS = 60 * 60 * 1000;

/**
 * What decides the renderer's output: its sources, src/shared (which it imports), the
 * installed packages, and this file's build options.
 */
const INPUTS = [RENDERER, join(ROOT, 'src', 'shared'), join(ROOT, 'package-lock.json'), fileURLToPath(import.meta.url)];

let built: Promise<string> | undefined;

/**
 * Builds src/renderer as `electron-vite build` does (see the renderer section of
 * electron.vite.config.ts and electron-vite's renderer preset) and returns the folder
 * holding index.html and assets/. The output is cached under a hash of the inputs, so test
 * files and workers share one build until a source changes.
 *
 * Concurrent workers may both build a missing key: each builds into its own temporary
 * folder and renames it into place, and the rename that loses leaves the winner's folder,
 * so a reader never sees a half-written build and no lock can be left behind by a crash.
 */
export function buildRenderer(): Promise<string> {
  built ??= buildOnce().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}

async function buildOnce(): Promise<string> {
  // A teammate saving a file mid-build would put new output under the old key; build
  // again until the inputs hold still for the length of a build.
  for (let attempt = 0; attempt < 3; attempt++) {
    const key = inputsHash();
    const target = join(BUILDS, key);
    if (existsSync(join(target, 'index.html'))) return target;
    const temporary = join(CACHE, `tmp-${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await viteBuild(temporary);
      if (inputsHash() !== key) continue;
      mkdirSync(BUILDS, { recursive: true });
      try {
        renameSync(temporary, target);
      } catch (error) {
        // Another worker renamed the same key first; its output is equally good.
        if (!existsSync(join(target, 'index.html'))) throw error;
      }
      prune(key);
      return target;
    } finally {
      rmSync(temporary, { recursive: true, force: true });
    }
  }
  throw new Error('src/renderer kept changing while the harness built it; try again when the edits settle');
}

async function viteBuild(outDir: string): Promise<void> {
  // Vite and the React plugin take NODE_ENV from the environment when it is set, and vitest
  // sets it to "test": the page would then run React's development build, unlike the app.
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await build({
      configFile: false,
      root: RENDERER,
      base: './',
      mode: 'production',
      envDir: ROOT,
      envPrefix: ['RENDERER_VITE_', 'VITE_'],
      logLevel: 'warn',
      clearScreen: false,
      plugins: [react()],
      build: {
        outDir,
        emptyOutDir: true,
        target: electronChromeTarget(),
        modulePreload: { polyfill: false },
        minify: false,
        reportCompressedSize: false,
        rolldownOptions: { input: join(RENDERER, 'index.html') },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`The browser harness could not build src/renderer with Vite:\n${message}`, { cause: error });
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
  }
}

/** The Chromium of the installed Electron, as electron-vite targets it (its table is 2 × major + 64 since Electron 22). */
function electronChromeTarget(): string {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
  const major = Number.parseInt(version, 10);
  if (!(major >= 22)) throw new Error(`unexpected Electron version ${version} in node_modules/electron`);
  return `chrome${2 * major + 64}`;
}

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of listFiles(input)) {
      const content = ignoreVanished(() => readFileSync(file));
      if (content !== undefined) hash.update(relative(ROOT, file)).update('\0').update(content).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

function listFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const entries = ignoreVanished(() => readdirSync(path)) ?? [];
  return entries
    .sort()
    .map((name) => join(path, name))
    .flatMap((child) => ignoreVanished(() => listFiles(child)) ?? []);
}

/** Editors save by writing a temporary file and renaming it: a file listed a moment ago may be gone. */
function ignoreVanished<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Drops other keys' builds and the temporary folders of crashed builds, once they are old. */
function prune(keep: string): void {
  const old = (dir: string) => (ignoreVanished(() => Date.now() - statSync(dir).mtimeMs) ?? 0) > PRUNE_AFTER_MS;
  for (const name of readdirSync(BUILDS)) {
    if (name !== keep && old(join(BUILDS, name))) rmSync(join(BUILDS, name), { recursive: true, force: true });
  }
  for (const name of readdirSync(CACHE)) {
    if (name.startsWith('tmp-') && old(join(CACHE, name))) rmSync(join(CACHE, name), { recursive: true, force: true });
  }
}
