import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/ipc';
import { openSettingsStore } from './settings-store';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'courier-settings-'));
  file = join(dir, 'settings.json');
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const onDisk = () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('openSettingsStore', () => {
  it('starts from the defaults when there is no file, and creates none until a change', () => {
    const store = openSettingsStore(join(dir, 'not-yet-created'));
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.update({ theme: 'system' })).toEqual(DEFAULT_SETTINGS);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes every change and reads it back on the next open', () => {
    const store = openSettingsStore(join(dir, 'profile'));
    const next = store.update({ theme: 'dark', lastServerUrl: 'https://chat.example' });
    expect(next).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', lastServerUrl: 'https://chat.example' });
    expect(store.get()).toEqual(next);
    expect(openSettingsStore(join(dir, 'profile')).get()).toEqual(next);
  });

  it('falls back to the defaults, silently, for a corrupt or non-object file', () => {
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    for (const text of ['{"theme": "dark", ', '', '[1,2]', 'null', '42', '"dark"']) {
      writeFileSync(file, text);
      expect(openSettingsStore(dir).get()).toEqual(DEFAULT_SETTINGS);
    }
    mkdirSync(join(dir, 'odd'));
    mkdirSync(join(dir, 'odd', 'settings.json')); // unreadable as a file
    expect(openSettingsStore(join(dir, 'odd')).get()).toEqual(DEFAULT_SETTINGS);
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it('keeps the valid fields of a file, defaults the invalid ones, and drops unknown keys', () => {
    writeFileSync(
      file,
      JSON.stringify({ theme: 'dark', status: 'asleep', notifications: 'yes', closeToTray: false, lastServerUrl: 7, windowBounds: { x: 1 } }),
    );
    const store = openSettingsStore(dir);
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', closeToTray: false });
    store.update({ startAtLogin: true });
    expect(onDisk()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', closeToTray: false, startAtLogin: true });
  });

  it('notifies listeners only on a real change, until they unsubscribe', () => {
    const store = openSettingsStore(dir);
    const seen: Settings[] = [];
    const unsubscribe = store.onChange((s) => seen.push(s));
    store.update({ notificationsPaused: true });
    store.update({ notificationsPaused: true });
    store.update({ status: undefined });
    expect(seen).toEqual([{ ...DEFAULT_SETTINGS, notificationsPaused: true }]);
    unsubscribe();
    store.update({ notificationsPaused: false });
    expect(seen).toHaveLength(1);
  });

  it('rejects an invalid value and changes nothing', () => {
    const store = openSettingsStore(dir);
    store.update({ theme: 'light' });
    expect(() => store.update({ theme: 'pink' as Settings['theme'] })).toThrow();
    expect(store.get().theme).toBe('light');
    expect(onDisk()['theme']).toBe('light');
  });

  it('replaces the file by rename (a new inode each write), leaving no temp files', () => {
    const store = openSettingsStore(dir);
    store.update({ theme: 'dark' });
    const before = statSync(file).ino;
    store.update({ theme: 'light' });
    expect(statSync(file).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a failed write throws, keeps the old state and cleans up its temp file', () => {
    const profile = join(dir, 'profile');
    const store = openSettingsStore(profile);
    const seen: Settings[] = [];
    store.onChange((s) => seen.push(s));
    mkdirSync(join(profile, 'settings.json'), { recursive: true }); // rename onto a folder fails
    expect(() => store.update({ theme: 'dark' })).toThrow();
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(seen).toEqual([]);
    expect(readdirSync(profile)).toEqual(['settings.json']);
  });
});
