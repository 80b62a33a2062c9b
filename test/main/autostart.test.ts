import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electron, resetElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { applyStartAtLogin, linuxAutostartPath, linuxDesktopEntry, loginItemSettings, quoteExecArg } = await import('../../src/main/autostart');
type Ctx = Parameters<typeof linuxDesktopEntry>[0];

let home: string;
beforeEach(() => {
  resetElectron();
  home = mkdtempSync(join(tmpdir(), 'courier-home-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function linux(overrides: Partial<Ctx> = {}): Ctx {
  return { platform: 'linux', profile: null, execPath: '/opt/Courier/courier', env: {}, homeDir: home, ...overrides };
}

describe('Linux XDG autostart entry', () => {
  it('lives in ~/.config/autostart unless XDG_CONFIG_HOME says otherwise, one file per profile', () => {
    expect(linuxAutostartPath(linux())).toBe(join(home, '.config', 'autostart', 'courier.desktop'));
    expect(linuxAutostartPath(linux({ profile: 'work' }))).toBe(join(home, '.config', 'autostart', 'courier-work.desktop'));
    expect(linuxAutostartPath(linux({ env: { XDG_CONFIG_HOME: '/xdg' } }))).toBe('/xdg/autostart/courier.desktop');
    // A relative XDG_CONFIG_HOME is invalid per the spec.
    expect(linuxAutostartPath(linux({ env: { XDG_CONFIG_HOME: 'rel' } }))).toBe(join(home, '.config', 'autostart', 'courier.desktop'));
  });

  it('runs the installed executable hidden', () => {
    expect(linuxDesktopEntry(linux())).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Name=Courier',
        'Comment=Self-hosted real-time messenger',
        'Exec=/opt/Courier/courier --hidden',
        'Icon=courier',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });

  it('runs the AppImage (not the temporary mount) with the profile', () => {
    const entry = linuxDesktopEntry(linux({ profile: 'work', execPath: '/tmp/.mount_Courier/courier', env: { APPIMAGE: '/home/a/Apps/Courier.AppImage' } }));
    expect(entry).toContain('Exec=/home/a/Apps/Courier.AppImage --hidden --profile work\n');
    expect(entry).toContain('Name=Courier (work)\n');
  });

  it('quotes paths per the Desktop Entry spec', () => {
    expect(quoteExecArg('/plain/path')).toBe('/plain/path');
    expect(quoteExecArg('/home/a b/Courier.AppImage')).toBe('"/home/a b/Courier.AppImage"');
    expect(quoteExecArg('/100%/x')).toBe('/100%%/x');
    // Inside quotes: \" and \$; the string-value level then doubles each backslash.
    expect(quoteExecArg('/a"b$c')).toBe('"/a\\\\"b\\\\$c"');
    expect(() => quoteExecArg('/a\nb')).toThrow();
  });

  it('writes and removes the file', () => {
    const ctx = linux({ env: { XDG_CONFIG_HOME: join(home, 'cfg') } });
    expect(applyStartAtLogin(true, ctx, true)).toBe('applied');
    const file = join(home, 'cfg', 'autostart', 'courier.desktop');
    expect(readFileSync(file, 'utf8')).toBe(linuxDesktopEntry(ctx));
    expect(applyStartAtLogin(false, ctx, true)).toBe('applied');
    expect(existsSync(file)).toBe(false);
    // Removing again is fine.
    expect(applyStartAtLogin(false, ctx, true)).toBe('applied');
  });
});

describe('login items on Windows and macOS', () => {
  const win = (profile: string | null): Ctx => ({ platform: 'win32', profile, execPath: 'C:\\Courier\\Courier.exe', env: {}, homeDir: 'C:\\Users\\a' });
  const mac = (profile: string | null): Ctx => ({ platform: 'darwin', profile, execPath: '/Applications/Courier.app/Contents/MacOS/Courier', env: {}, homeDir: '/Users/a' });

  it('Windows: starts hidden, per-profile registry name and arguments', () => {
    expect(loginItemSettings(true, win(null))).toEqual({ openAtLogin: true, path: 'C:\\Courier\\Courier.exe', args: ['--hidden'], name: 'Courier' });
    expect(loginItemSettings(true, win('work'))).toEqual({
      openAtLogin: true,
      path: 'C:\\Courier\\Courier.exe',
      args: ['--hidden', '--profile', 'work'],
      name: 'Courier-work',
    });
    applyStartAtLogin(false, win('work'), true);
    expect(electron.app.setLoginItemSettings).toHaveBeenLastCalledWith(expect.objectContaining({ openAtLogin: false, name: 'Courier-work' }));
  });

  it('macOS: login item opened hidden; a named profile cannot have one (no arguments on macOS)', () => {
    expect(applyStartAtLogin(true, mac(null), true)).toBe('applied');
    expect(electron.app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true, openAsHidden: true });
    electron.app.setLoginItemSettings.mockClear();
    expect(applyStartAtLogin(true, mac('work'), true)).toBe('unsupported');
    expect(electron.app.setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('does nothing in a development run (the executable is a bare Electron)', () => {
    expect(applyStartAtLogin(true, win(null), false)).toBe('unsupported');
    expect(applyStartAtLogin(true, linux({ env: { XDG_CONFIG_HOME: join(home, 'cfg') } }), false)).toBe('unsupported');
    expect(electron.app.setLoginItemSettings).not.toHaveBeenCalled();
    expect(existsSync(join(home, 'cfg'))).toBe(false);
  });
});
