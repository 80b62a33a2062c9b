import { app, session, type WebContents } from 'electron';
import { openExternalSafely } from './external-links';
import { isAllowedNavigation } from './navigation';
import { isPermissionGranted } from './permissions';

/**
 * Applies to every webContents, not only our window, so nothing created later (by a bug or
 * a future feature) can slip past: no new windows (an http(s) link goes to the browser
 * instead), no navigation away, no <webview>. Must be installed before the first window.
 */
export function hardenAllWebContents(devServerUrl: string | undefined): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, devServerUrl));
}

export function hardenWebContents(contents: WebContents, devServerUrl: string | undefined): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Electron grants every permission unless told otherwise; we grant only the allowlist. */
export function denyPermissionsByDefault(): void {
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(isPermissionGranted(permission)));
  defaultSession.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission));
  // USB/HID/serial/Bluetooth device access: never.
  defaultSession.setDevicePermissionHandler(() => false);
}
