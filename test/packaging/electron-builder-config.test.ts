import { existsSync, readFileSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { BADGE_IMAGE, trayIconFile } from '../../src/main/tray-images';

/**
 * electron-builder.yml checked the way electron-builder itself checks it (its own JSON
 * schema, with ajv), plus what the schema cannot know: that every file it names exists and
 * that the native module really is unpacked from the asar. Installers cannot be built
 * here (no Electron binary), so this is what guards the packaging config.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
const config = load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  directories: { buildResources: string };
  asarUnpack: string[];
  extraResources: { from: string; to: string; filter: string[] }[];
  electronFuses: Record<string, boolean>;
  mac: Record<string, unknown>;
  linux: Record<string, unknown>;
  deb: { depends: string[] };
};

// The schema is draft-07 with electron-builder's own annotation keywords, so not strict.
const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);

function errorsOf(candidate: unknown): string[] {
  return validate(candidate) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s schema', () => {
    expect(errorsOf(config)).toEqual([]);
  });

  it.each([
    ['a misspelt top-level key', { ...config, asarUnpak: ['x'] }],
    ['a misspelt fuse', { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }],
    ['a fuse that is not a boolean', { ...config, electronFuses: { ...config.electronFuses, runAsNode: 'no' } }],
    ['an unknown mac option', { ...config, mac: { ...config.mac, hardendRuntime: true } }],
  ])('the validation really rejects %s', (_name, broken) => {
    expect(errorsOf(broken)).not.toEqual([]);
  });

  it('names the app and its Windows notification identity', () => {
    expect(config['appId']).toBe('org.courier.desktop');
    expect(config['productName']).toBe('Courier');
    const main = readFileSync(join(ROOT, 'src', 'main', 'index.ts'), 'utf8');
    expect(main).toContain(`APP_USER_MODEL_ID = '${String(config['appId'])}'`);
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('every file it names exists: app icon, entitlements, tray and badge images', () => {
    const buildDir = join(ROOT, config.directories.buildResources);
    const files = [
      join(buildDir, 'icon.png'),
      join(ROOT, String(config.mac['entitlements'])),
      join(ROOT, String(config.mac['entitlementsInherit'])),
      ...config.extraResources.flatMap((set) => set.filter.map((name) => join(ROOT, set.from, name))),
    ];
    expect(files.filter((file) => !existsSync(file))).toEqual([]);
  });

  it('ships every image the main process loads at run time', () => {
    const icons = config.extraResources.find((set) => set.to === 'icons');
    expect(icons).toBeDefined();
    for (const platform of ['darwin', 'win32', 'linux'] as const) expect(icons!.filter).toContain(trayIconFile(platform));
    expect(icons!.filter).toContain(BADGE_IMAGE);
  });

  it('unpacks better-sqlite3’s native module from the asar', () => {
    const nativeFile = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    expect(existsSync(join(ROOT, nativeFile))).toBe(true);
    expect(config.asarUnpack.some((glob) => matchesGlob(nativeFile, glob))).toBe(true);
    // ...and the glob is not so broad that it unpacks the app's own code.
    expect(config.asarUnpack.some((glob) => matchesGlob('out/main/index.js', glob))).toBe(false);
    expect(config['npmRebuild']).not.toBe(false);
  });

  it('builds the promised targets', () => {
    const targets = (platform: string) => (config[platform] as { target: string[] }).target;
    expect(targets('win')).toEqual(['nsis']);
    expect(targets('mac')).toEqual(['dmg', 'zip']);
    expect(targets('linux')).toEqual(['AppImage', 'deb']);
    expect(config.mac['hardenedRuntime']).toBe(true);
    expect(config.deb.depends.some((dep) => dep.includes('libayatana-appindicator3-1'))).toBe(true);
  });

  it('has an npm run dist that builds before packaging', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['dist']).toMatch(/electron-vite build && electron-builder/);
  });
});
