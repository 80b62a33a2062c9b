import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { app, type Settings as LoginItemSettings } from 'electron';
import { writeFileAtomic } from '../client/atomic-file';
import { HIDDEN_SWITCH, profileArgs } from './launch-args';

/**
 * Start at login (opt-in, settings.startAtLogin). The app then starts with --hidden, so it
 * sits in the tray, connected, without opening a window.
 *
 * - Windows: a Run registry value through app.setLoginItemSettings, named per profile so
 *   two profiles can both start.
 * - macOS: a login item (openAsHidden where macOS still honours it; the app also checks
 *   wasOpenedAtLogin). macOS passes no arguments to login items, so only the default
 *   profile can start at login there.
 * - Linux: an XDG autostart entry, `$XDG_CONFIG_HOME/autostart/courier[-profile].desktop`,
 *   that runs the AppImage (APPIMAGE is set inside one) or the installed executable.
 */
export interface AutostartContext {
  platform: NodeJS.Platform;
  profile: string | null;
  execPath: string;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}

export type AutostartOutcome = 'applied' | 'unsupported';

export function launchArgs(profile: string | null): string[] {
  return [HIDDEN_SWITCH, ...profileArgs(profile)];
}

export function loginItemSettings(enabled: boolean, ctx: AutostartContext): LoginItemSettings {
  if (ctx.platform === 'darwin') return { openAtLogin: enabled, openAsHidden: true };
  return {
    openAtLogin: enabled,
    path: ctx.execPath,
    args: launchArgs(ctx.profile),
    name: ctx.profile === null ? 'Courier' : `Courier-${ctx.profile}`,
  };
}

export function linuxAutostartPath(ctx: AutostartContext): string {
  const configured = ctx.env['XDG_CONFIG_HOME'];
  // The spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const configHome = configured !== undefined && configured.startsWith('/') ? configured : join(ctx.homeDir, '.config');
  return join(configHome, 'autostart', ctx.profile === null ? 'courier.desktop' : `courier-${ctx.profile}.desktop`);
}

export function linuxDesktopEntry(ctx: AutostartContext): string {
  const executable = ctx.env['APPIMAGE'] || ctx.execPath;
  const exec = [executable, ...launchArgs(ctx.profile)].map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${ctx.profile === null ? 'Courier' : `Courier (${ctx.profile})`}`,
    'Comment=Self-hosted real-time messenger',
    `Exec=${exec}`,
    'Icon=courier',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * One argument of a desktop entry's Exec key. Quoting rules of the Desktop Entry spec:
 * an argument with reserved characters goes in double quotes, inside which `"`, `` ` ``,
 * `$` and `\` are backslash-escaped; `%` is doubled (field codes). The key's value is
 * then a string value, whose own escaping doubles every backslash again.
 */
export function quoteExecArg(arg: string): string {
  if (/[\n\r\t]/.test(arg)) throw new Error('An autostart argument cannot contain line breaks or tabs.');
  let quoted = arg.replace(/%/g, '%%');
  if (quoted === '' || /[\s"'\\><~|&;$*?#()`]/.test(quoted)) quoted = `"${quoted.replace(/["`$\\]/g, '\\$&')}"`;
  return quoted.replace(/\\/g, '\\\\');
}

/**
 * Turns start at login on or off. Not in a development run: there the executable is a
 * bare Electron that would start without our app.
 */
export function applyStartAtLogin(enabled: boolean, ctx: AutostartContext, isPackaged: boolean): AutostartOutcome {
  if (!isPackaged) return 'unsupported';
  if (ctx.platform === 'linux') {
    const file = linuxAutostartPath(ctx);
    if (enabled) writeFileAtomic(file, linuxDesktopEntry(ctx));
    else rmSync(file, { force: true });
    return 'applied';
  }
  if (ctx.platform === 'darwin' && ctx.profile !== null) return 'unsupported';
  if (ctx.platform !== 'darwin' && ctx.platform !== 'win32') return 'unsupported';
  app.setLoginItemSettings(loginItemSettings(enabled, ctx));
  return 'applied';
}
