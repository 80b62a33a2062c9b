import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/ipc/settings';
import { electron, FakeBrowserWindow, FakeTray, resetElectron, type FakeMenu, type FakeMenuItem } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { TrayController, trayTooltip } = await import('../../src/main/tray');
const { trayIconFile } = await import('../../src/main/tray-images');
const { applyUnreadBadge } = await import('../../src/main/unread-badge');

const PLATFORMS = ['win32', 'darwin', 'linux'] as const;

function makeActions() {
  return { open: vi.fn(), setStatus: vi.fn(), setNotificationsPaused: vi.fn(), quit: vi.fn() };
}

function trayFor(platform: NodeJS.Platform, settings: Settings = DEFAULT_SETTINGS) {
  const actions = makeActions();
  const controller = new TrayController({ iconsDir: '/res/icons', platform, settings, actions });
  const tray = FakeTray.instances.at(-1)!;
  return { controller, tray, actions };
}

/** The menu the user sees on right click: set on the tray, or popped up on macOS. */
function visibleMenu(tray: FakeTray, platform: NodeJS.Platform): FakeMenuItem[] {
  if (platform === 'darwin') {
    tray.emit('right-click');
    return (tray.popUpContextMenu.mock.calls.at(-1)![0] as FakeMenu).items;
  }
  return (tray.setContextMenu.mock.calls.at(-1)![0] as FakeMenu).items;
}

function item(items: FakeMenuItem[], label: string): FakeMenuItem {
  const found = items.find((i) => i.label === label);
  if (found === undefined) throw new Error(`no menu item ${label}`);
  return found;
}

beforeEach(() => resetElectron());

describe('tray icon per platform', () => {
  it('uses a template image on macOS, an .ico on Windows, a PNG on Linux', () => {
    expect(trayIconFile('darwin')).toMatch(/Template\.png$/);
    expect(trayIconFile('win32')).toMatch(/\.ico$/);
    expect(trayIconFile('linux')).toMatch(/\.png$/);
    expect(trayFor('darwin').tray.image).toBe('/res/icons/trayTemplate.png');
  });

  it('says how many messages are unread in the tooltip', () => {
    expect(trayTooltip(0)).toBe('Courier');
    expect(trayTooltip(3)).toBe('Courier — 3 unread');
    const { controller, tray } = trayFor('linux');
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Courier');
    controller.setUnread(3);
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Courier — 3 unread');
  });
});

describe.each(PLATFORMS)('tray menu on %s', (platform) => {
  it('has Open, the status radio group, Pause notifications and Quit', () => {
    const { tray } = trayFor(platform);
    const items = visibleMenu(tray, platform);
    expect(items.map((i) => i.label ?? i.type)).toEqual([
      'Open Courier',
      'separator',
      'Online',
      'Away',
      'Do not disturb',
      'separator',
      'Pause notifications',
      'separator',
      'Quit Courier',
    ]);
    expect(items.filter((i) => i.type === 'radio').map((i) => [i.label, i.checked])).toEqual([
      ['Online', true],
      ['Away', false],
      ['Do not disturb', false],
    ]);
    expect(item(items, 'Pause notifications')).toMatchObject({ type: 'checkbox', checked: false });
  });

  it('menu items call the actions', () => {
    const { tray, actions } = trayFor(platform);
    const items = visibleMenu(tray, platform);
    item(items, 'Open Courier').click!({ checked: false });
    expect(actions.open).toHaveBeenCalled();
    item(items, 'Do not disturb').click!({ checked: true });
    expect(actions.setStatus).toHaveBeenCalledWith('dnd');
    item(items, 'Pause notifications').click!({ checked: true });
    expect(actions.setNotificationsPaused).toHaveBeenCalledWith(true);
    item(items, 'Quit Courier').click!({ checked: false });
    expect(actions.quit).toHaveBeenCalled();
  });

  it('rebuilds the menu when settings change', () => {
    const { controller, tray } = trayFor(platform);
    controller.setSettings({ ...DEFAULT_SETTINGS, status: 'away', notificationsPaused: true });
    const items = visibleMenu(tray, platform);
    expect(item(items, 'Away').checked).toBe(true);
    expect(item(items, 'Online').checked).toBe(false);
    expect(item(items, 'Pause notifications').checked).toBe(true);
  });

  it('a left click opens the window', () => {
    const { tray, actions } = trayFor(platform);
    tray.emit('click');
    expect(actions.open).toHaveBeenCalledTimes(1);
  });
});

describe('context menu wiring', () => {
  it('macOS pops the menu up on right click so a left click can open the window', () => {
    const { tray } = trayFor('darwin');
    expect(tray.setContextMenu).not.toHaveBeenCalled();
    tray.emit('right-click');
    expect(tray.popUpContextMenu).toHaveBeenCalledTimes(1);
  });

  it.each(['win32', 'linux'] as const)('%s sets the context menu on the tray', (platform) => {
    const { tray } = trayFor(platform);
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1);
  });
});

describe('unread badge', () => {
  const badge = { badge: true };

  it('Windows: overlay icon on the taskbar button, never setBadgeCount', () => {
    const window = new FakeBrowserWindow({});
    applyUnreadBadge(3, { platform: 'win32', window: window as never, badgeImage: () => badge as never });
    expect(window.setOverlayIcon).toHaveBeenLastCalledWith(badge, '3 unread');
    applyUnreadBadge(0, { platform: 'win32', window: window as never, badgeImage: () => badge as never });
    expect(window.setOverlayIcon).toHaveBeenLastCalledWith(null, '');
    expect(electron.app.setBadgeCount).not.toHaveBeenCalled();
  });

  it('Windows without a window (destroyed while hidden): nothing to badge, no crash', () => {
    applyUnreadBadge(3, { platform: 'win32', window: null, badgeImage: () => badge as never });
    expect(electron.app.setBadgeCount).not.toHaveBeenCalled();
  });

  it.each(['darwin', 'linux'] as const)('%s: app.setBadgeCount, never an overlay', (platform) => {
    const window = new FakeBrowserWindow({});
    applyUnreadBadge(5, { platform, window: window as never, badgeImage: () => badge as never });
    expect(electron.app.setBadgeCount).toHaveBeenLastCalledWith(5);
    applyUnreadBadge(0, { platform, window: window as never, badgeImage: () => badge as never });
    expect(electron.app.setBadgeCount).toHaveBeenLastCalledWith(0);
    expect(window.setOverlayIcon).not.toHaveBeenCalled();
  });
});
