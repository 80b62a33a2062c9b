import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 is a native module, built for one ABI. `npm install` builds it for Node
 * (the server, tests and benchmarks use it there); Electron needs a build for its own ABI.
 * scripts/electron-native.mjs compiles that second build into a cache folder keyed by both
 * versions, and a development run of the app loads it through better-sqlite3's
 * `nativeBinding` option, so neither runtime's build replaces the other's.
 *
 * A packaged app needs none of this: electron-builder rebuilds node_modules for Electron
 * (npmRebuild) and better-sqlite3 finds its own build.
 */
export const NATIVE_CACHE_DIR = join('node_modules', '.cache', 'courier-electron');

/** Keep in step with scripts/electron-native.mjs (test/main/native-binding.test.ts checks). */
export function electronNativeBindingPath(projectRoot: string, electronVersion: string, betterSqliteVersion: string): string {
  return join(projectRoot, NATIVE_CACHE_DIR, `electron-${electronVersion}`, `better-sqlite3-${betterSqliteVersion}`, 'better_sqlite3.node');
}

export interface NativeBindingContext {
  isPackaged: boolean;
  /** app.getAppPath(): the project root in a development run. */
  appPath: string;
  electronVersion: string | undefined;
}

/** The Electron-ABI build to load, or undefined to let better-sqlite3 find its own. */
export function resolveNativeBinding(ctx: NativeBindingContext): string | undefined {
  if (ctx.isPackaged || ctx.electronVersion === undefined) return undefined;
  const version = betterSqliteVersion(ctx.appPath);
  if (version === undefined) return undefined;
  const file = electronNativeBindingPath(ctx.appPath, ctx.electronVersion, version);
  return existsSync(file) ? file : undefined;
}

function betterSqliteVersion(projectRoot: string): string | undefined {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(projectRoot, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8'));
    const version = (manifest as { version?: unknown }).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
