import { join } from 'node:path';
import { Menu, Tray, type MenuItemConstructorOptions } from 'electron';
import type { Settings, UserStatus } from '../shared/ipc/settings';
import { trayIconFile } from './tray-images';

/**
 * The tray icon, which is the app while the window is hidden. Its context menu is there on
 * every platform because on Linux (StatusNotifier/AppIndicator) clicks on the icon itself
 * are often not delivered at all; a left click shows the window where clicks work.
 */
export interface TrayActions {
  open(): void;
  setStatus(status: UserStatus): void;
  setNotificationsPaused(paused: boolean): void;
  quit(): void;
}

export function trayTooltip(unread: number): string {
  return unread > 0 ? `Courier — ${unread} unread` : 'Courier';
}

const STATUS_LABELS: Record<UserStatus, string> = { online: 'Online', away: 'Away', dnd: 'Do not disturb' };

export function trayMenuTemplate(settings: Settings, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: 'Open Courier', click: () => actions.open() },
    { type: 'separator' },
    ...(Object.keys(STATUS_LABELS) as UserStatus[]).map(
      (status): MenuItemConstructorOptions => ({
        label: STATUS_LABELS[status],
        type: 'radio',
        checked: settings.status === status,
        click: () => actions.setStatus(status),
      }),
    ),
    { type: 'separator' },
    {
      label: 'Pause notifications',
      type: 'checkbox',
      checked: settings.notificationsPaused,
      click: (item) => actions.setNotificationsPaused(item.checked),
    },
    { type: 'separator' },
    { label: 'Quit Courier', click: () => actions.quit() },
  ];
}

export interface TrayControllerOptions {
  iconsDir: string;
  platform: NodeJS.Platform;
  settings: Settings;
  actions: TrayActions;
}

export class TrayController {
  private readonly tray: Tray;
  private menu: Menu;

  constructor(private readonly o: TrayControllerOptions) {
    this.tray = new Tray(join(o.iconsDir, trayIconFile(o.platform)));
    this.tray.setToolTip(trayTooltip(0));
    this.menu = this.applyMenu(o.settings);
    this.tray.on('click', () => o.actions.open());
    // On macOS a context menu set with setContextMenu opens on left click too, which would
    // take the click away from "show the window"; pop it up on right click instead.
    if (o.platform === 'darwin') this.tray.on('right-click', () => this.tray.popUpContextMenu(this.menu));
  }

  /** Rebuilt on every settings change so the radio group and checkbox show the truth. */
  setSettings(settings: Settings): void {
    this.menu = this.applyMenu(settings);
  }

  setUnread(unread: number): void {
    this.tray.setToolTip(trayTooltip(unread));
  }

  destroy(): void {
    this.tray.destroy();
  }

  private applyMenu(settings: Settings): Menu {
    const menu = Menu.buildFromTemplate(trayMenuTemplate(settings, this.o.actions));
    if (this.o.platform !== 'darwin') this.tray.setContextMenu(menu);
    return menu;
  }
}
