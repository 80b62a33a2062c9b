import { join } from 'node:path';

/**
 * The command line the shell understands, on top of Chromium's own switches:
 *
 * - `--profile NAME` (or `--profile=NAME`): a separate profile folder, so two accounts (or
 *   a test account beside the real one) run side by side as two independent apps.
 * - `--hidden`: start in the tray without showing the window (start at login uses it).
 *
 * Anything else is left alone: Chromium, Electron and electron-vite put their own
 * arguments in argv, and the executable path and app path come first.
 */
export interface LaunchOptions {
  /** null: the default profile. */
  profile: string | null;
  hidden: boolean;
}

export type LaunchParse = { ok: true; options: LaunchOptions } | { ok: false; error: string };

/** Lowercase so profiles cannot differ only by case (case-insensitive file systems). */
export const PROFILE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

const PROFILE_SWITCH = '--profile';
export const HIDDEN_SWITCH = '--hidden';

export function parseLaunchArgs(argv: readonly string[]): LaunchParse {
  let profile: string | null = null;
  let hidden = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === HIDDEN_SWITCH) {
      hidden = true;
      continue;
    }
    let value: string | undefined;
    if (arg === PROFILE_SWITCH) {
      value = argv[i + 1];
      i++;
      if (value === undefined || value.startsWith('--')) return { ok: false, error: `${PROFILE_SWITCH} needs a name, e.g. ${PROFILE_SWITCH} work` };
    } else if (arg.startsWith(`${PROFILE_SWITCH}=`)) {
      value = arg.slice(PROFILE_SWITCH.length + 1);
    } else {
      continue;
    }
    if (!PROFILE_NAME_PATTERN.test(value)) {
      return {
        ok: false,
        error: `Invalid profile name ${JSON.stringify(value.slice(0, 40))}: use 1-32 lowercase letters, digits, '-' or '_', starting with a letter or digit.`,
      };
    }
    if (profile !== null && profile !== value) return { ok: false, error: `${PROFILE_SWITCH} was given twice (${profile}, ${value}).` };
    profile = value;
  }
  return { ok: true, options: { profile, hidden } };
}

/** `<appData>/Courier-<name>`; the default profile keeps Electron's `<appData>/Courier`. */
export function profileUserDataDir(appDataDir: string, profile: string): string {
  return join(appDataDir, `Courier-${profile}`);
}

/** The arguments that reopen the same profile (start at login, relaunch). */
export function profileArgs(profile: string | null): string[] {
  return profile === null ? [] : [PROFILE_SWITCH, profile];
}
