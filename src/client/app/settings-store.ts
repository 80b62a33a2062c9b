import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../shared/ipc';

export interface SettingsStore {
  /** The current settings (frozen). */
  get(): Settings;
  /**
   * Applies `patch`, writes the file and notifies listeners, all before returning; a
   * patch that changes nothing writes nothing. Throws if a value is invalid or the file
   * cannot be written, and then nothing changes.
   */
  update(patch: Partial<Settings>): Settings;
  /** Called after every change with the new settings; returns the unsubscribe. */
  onChange(listener: (settings: Settings) => void): () => void;
}

const FILE = 'settings.json';
const KEYS = Object.keys(SettingsSchema.shape) as Array<keyof Settings>;

/**
 * Per-profile settings in `<profileDir>/settings.json`, read once here and written on
 * every change. The file is read back from disk, so it is a trust boundary: each field
 * is checked alone, an invalid one falls back to its default without costing the others,
 * and unknown keys are dropped.
 */
export function openSettingsStore(profileDir: string): SettingsStore {
  const file = join(profileDir, FILE);
  let current = readSettings(file);
  const listeners = new Set<(settings: Settings) => void>();

  return {
    get: () => current,
    update(patch) {
      const next = Object.freeze(SettingsSchema.parse({ ...current, ...definedOnly(patch) }));
      if (KEYS.every((key) => next[key] === current[key])) return current;
      writeAtomically(profileDir, file, `${JSON.stringify(next, null, 2)}\n`);
      current = next;
      for (const listener of [...listeners]) listener(next);
      return next;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function readSettings(file: string): Settings {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Missing (first run), unreadable or not JSON: start from the defaults.
    return DEFAULT_SETTINGS;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return DEFAULT_SETTINGS;
  const stored = raw as Record<string, unknown>;
  const settings: Record<string, unknown> = {};
  for (const key of KEYS) {
    const field = SettingsSchema.shape[key].safeParse(stored[key]);
    settings[key] = field.success ? field.data : DEFAULT_SETTINGS[key];
  }
  return Object.freeze(SettingsSchema.parse(settings));
}

function definedOnly(patch: Partial<Settings>): Partial<Settings> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}

/**
 * ┌──────────────────────────────────────────────────────────────────────────────────┐
 * │ Write a temp file in the same folder, fsync it, then rename it over the old one. │
 * │ rename() within a filesystem is atomic, so a crash or power loss leaves either   │
 * │ the old file or the new one, never half of one; fsync first, or the rename can   │
 * │ reach the disk before the data does. The folder is fsynced to make the rename    │
 * │ itself durable (not possible on Windows, where rename is durable enough).        │
 * └──────────────────────────────────────────────────────────────────────────────────┘
 */
function writeAtomically(dir: string, file: string, text: string): void {
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(dir);
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a directory; the data itself is already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
