// The Electron main process: one secure window showing the renderer. Everything that is a
// decision rather than Electron plumbing lives in the small pure modules next to this file.
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, session } from 'electron';
import { resolveDevServerUrl } from './dev-server';
import { isAllowedNavigation } from './navigation';
import { isPermissionGranted } from './permissions';
import { secureWebPreferences } from './web-preferences';

// Paths are relative to this bundle (out/main/index.js), which also holds inside app.asar.
const PRELOAD_PATH = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER_HTML = fileURLToPath(new URL('../renderer/index.html', import.meta.url));

const devServerUrl = resolveDevServerUrl(process.env, app.isPackaged);

let mainWindow: BrowserWindow | null = null;

// Sandbox every renderer, including any we did not create ourselves; must precede 'ready'.
app.enableSandbox();

// A second copy would open a second connection and fight over the same local data, so the
// second launch just focuses the first window and exits.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  hardenAllWebContents();

  app.on('window-all-closed', () => {
    // macOS apps conventionally stay alive in the Dock until the user quits them.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });

  app
    .whenReady()
    .then(() => {
      denyPermissionsByDefault();
      createMainWindow();
    })
    .catch((error: unknown) => {
      console.error('Courier failed to start:', error);
      app.exit(1);
    });
}

function createMainWindow(): void {
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    minWidth: 480,
    minHeight: 360,
    title: 'Courier',
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    webPreferences: secureWebPreferences(PRELOAD_PATH, app.getVersion()),
  });
  mainWindow = window;

  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });

  const loaded = devServerUrl === undefined ? window.loadFile(RENDERER_HTML) : window.loadURL(devServerUrl);
  loaded.catch((error: unknown) => console.error('Courier could not load its window:', error));
}

/**
 * Applies to every webContents, not only our window, so nothing created later (by a bug or
 * a future feature) can slip past: no new windows, no navigation away, no <webview>.
 */
function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => {
      if (!isAllowedNavigation(event.url, devServerUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!isAllowedNavigation(event.url, devServerUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** Electron grants every permission unless told otherwise; we grant only the allowlist. */
function denyPermissionsByDefault(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(isPermissionGranted(permission));
  });
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission));
}
