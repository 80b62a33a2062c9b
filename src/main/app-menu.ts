import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu. Besides the usual entries it carries the shortcuts: Cmd/Ctrl+Q
 * (role 'quit', the only keyboard way to really quit, since closing the window only hides
 * it), Cmd/Ctrl+W to close (hide) the window, and on macOS the Edit menu, without which
 * copy and paste do not work in a text field at all.
 */
export function appMenuTemplate(platform: NodeJS.Platform, o: { appName: string; isPackaged: boolean }): MenuItemConstructorOptions[] {
  const quit: MenuItemConstructorOptions = { role: 'quit', accelerator: 'CmdOrCtrl+Q' };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      // Reload and devtools only while developing: a reload would just drop the UI's state.
      ...(o.isPackaged ? [] : ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  if (platform === 'darwin') {
    return [
      {
        label: o.appName,
        submenu: [
          { role: 'about' },
          { type: 'separator' },
          { role: 'services' },
          { type: 'separator' },
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          { type: 'separator' },
          quit,
        ],
      },
      { role: 'editMenu' },
      view,
      { role: 'windowMenu' },
    ];
  }
  return [
    { label: 'File', submenu: [{ role: 'close', accelerator: 'CmdOrCtrl+W' }, { type: 'separator' }, quit] },
    { role: 'editMenu' },
    view,
  ];
}
