import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electron, FakeEvent, FakeWebContents, resetElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { openExternalSafely } = await import('../../src/main/external-links');
const { denyPermissionsByDefault, hardenAllWebContents, hardenWebContents } = await import('../../src/main/hardening');

beforeEach(() => resetElectron());

describe('openExternalSafely', () => {
  it.each(['https://example.com/a?b=c#d', 'http://example.com'])('opens %s in the browser', (url) => {
    expect(openExternalSafely(url)).toBe(true);
    expect(electron.shell.openExternal).toHaveBeenCalledWith(new URL(url).href);
  });

  it.each([
    'javascript:alert(1)',
    'file:///etc/passwd',
    'ms-settings:',
    'smb://host/share',
    'vscode://file/x',
    'https://user:pass@example.com/',
    'https://user@example.com/',
    'http://',
    'not a url',
    '',
  ])('refuses %j', (url) => {
    expect(openExternalSafely(url)).toBe(false);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('hands the OS the normalised URL that was checked', () => {
    openExternalSafely('HTTPS://EXAMPLE.com/a b');
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/a%20b');
  });
});

describe('web contents hardening', () => {
  it('never opens a new window; http(s) links go to the browser instead', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents as never, undefined);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/');
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('denies navigation away and <webview>, allows dev-server reloads in development', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents as never, 'http://localhost:5173/');
    const navigate = (url: string, name = 'will-navigate') => {
      const event = Object.assign(new FakeEvent(), { url });
      contents.emit(name, event);
      return event.defaultPrevented;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('https://evil.example/', 'will-redirect')).toBe(true);
    expect(navigate('http://localhost:5173/')).toBe(false);
    const webview = new FakeEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
  });

  it('hardens every webContents that is created, not only ours', () => {
    hardenAllWebContents(undefined);
    const contents = new FakeWebContents();
    electron.app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler).not.toBeNull();
    const event = Object.assign(new FakeEvent(), { url: 'file:///app/out/renderer/index.html' });
    contents.emit('will-navigate', event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('denies permission requests, permission checks and device access', () => {
    denyPermissionsByDefault();
    const session = electron.session.defaultSession;
    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (c: unknown, p: string, cb: (granted: boolean) => void) => void;
    const check = session.setPermissionCheckHandler.mock.calls[0]![0] as (c: unknown, p: string) => boolean;
    const device = session.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean;
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      request(null, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(check(null, permission)).toBe(false);
    }
    expect(device()).toBe(false);
  });
});
