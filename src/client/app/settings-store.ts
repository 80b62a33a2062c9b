import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../shared/ipc';
import { writeFileAtomic } from '../atomic-file';

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
      writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`, 0o600);
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
