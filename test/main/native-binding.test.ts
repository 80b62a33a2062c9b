import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronNativeBindingPath, resolveNativeBinding } from '../../src/main/native-binding';

const ROOT = join(import.meta.dirname, '..', '..');
const versionOf = (pkg: string): string => (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

describe('the Electron build of better-sqlite3', () => {
  let project: string;
  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'courier-native-'));
    mkdirSync(join(project, 'node_modules', 'better-sqlite3'), { recursive: true });
    writeFileSync(join(project, 'node_modules', 'better-sqlite3', 'package.json'), JSON.stringify({ version: '12.0.0' }));
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  it('main looks where scripts/electron-native.mjs writes', () => {
    const printed = execFileSync(process.execPath, [join(ROOT, 'scripts', 'electron-native.mjs'), '--print-path'], { encoding: 'utf8' }).trim();
    expect(printed).toBe(electronNativeBindingPath(ROOT, versionOf('electron'), versionOf('better-sqlite3')));
  });

  it('is used in a development run when the file exists', () => {
    const ctx = { isPackaged: false, appPath: project, electronVersion: '39.0.0' };
    expect(resolveNativeBinding(ctx)).toBeUndefined();
    const file = electronNativeBindingPath(project, '39.0.0', '12.0.0');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
    expect(resolveNativeBinding(ctx)).toBe(file);
    // A build for another Electron or better-sqlite3 version is never picked up.
    expect(resolveNativeBinding({ ...ctx, electronVersion: '40.0.0' })).toBeUndefined();
    writeFileSync(join(project, 'node_modules', 'better-sqlite3', 'package.json'), JSON.stringify({ version: '12.0.1' }));
    expect(resolveNativeBinding(ctx)).toBeUndefined();
  });

  it('is never used by a packaged app (electron-builder rebuilt node_modules)', () => {
    const file = electronNativeBindingPath(project, '39.0.0', '12.0.0');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
    expect(resolveNativeBinding({ isPackaged: true, appPath: project, electronVersion: '39.0.0' })).toBeUndefined();
  });

  it('the script skips cleanly where Electron cannot run', () => {
    const run = (env: Record<string, string>) =>
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'electron-native.mjs'), '--force'], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(run({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })).toMatch(/^\[electron-native\] skipped: ELECTRON_SKIP_BINARY_DOWNLOAD/);
  });
});
