import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from '../../src/main/app-menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

describe('application menu', () => {
  it.each(['darwin', 'win32', 'linux'] as const)('%s: quit with CmdOrCtrl+Q, an Edit menu for copy/paste', (platform) => {
    const items = flatten(appMenuTemplate(platform, { appName: 'Courier', isPackaged: true }));
    expect(items.filter((i) => i.role === 'quit')).toEqual([{ role: 'quit', accelerator: 'CmdOrCtrl+Q' }]);
    expect(items.some((i) => i.role === 'editMenu')).toBe(true);
  });

  it('devtools and reload only in development', () => {
    const roles = (isPackaged: boolean) => flatten(appMenuTemplate('linux', { appName: 'Courier', isPackaged })).map((i) => i.role);
    expect(roles(true)).not.toContain('toggleDevTools');
    expect(roles(true)).not.toContain('reload');
    expect(roles(false)).toContain('toggleDevTools');
  });

  it('macOS starts with the app menu named after the app', () => {
    expect(appMenuTemplate('darwin', { appName: 'Courier', isPackaged: true })[0]!.label).toBe('Courier');
  });
});
