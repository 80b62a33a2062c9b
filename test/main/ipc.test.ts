import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatchIpc, type IpcHandlers } from '../../src/client/app/ipc-handlers';
import type { IpcResult } from '../../src/shared/ipc/contract';
import { IPC_METHOD_NAMES, methodChannel, type IpcMethodName } from '../../src/shared/ipc/names';
import { electron, FakeBrowserWindow, FakeWebContents, FakeWebFrame, ipcMainHandlers, resetElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { createIpcHandlerTable, registerIpcHandlers } = await import('../../src/main/ipc');
const { isRendererUrl } = await import('../../src/main/renderer-location');

const RENDERER = 'file:///opt/Courier/resources/app.asar/out/renderer/index.html';
const renderer = { htmlFileUrl: RENDERER, platform: 'linux' as const };

/**
 * A core whose dispatch runs the real argument validation (the contract's zod schemas, via
 * the client's dispatchIpc) in front of handlers that only record that they were reached.
 */
function observableCore() {
  const reached: { method: string; params: unknown }[] = [];
  const handlers = new Proxy({} as IpcHandlers, {
    get: (_target, method: string) => (params: unknown) => {
      reached.push({ method, params });
      return null;
    },
  });
  const dispatch = vi.fn((method: IpcMethodName, params: unknown) => dispatchIpc(handlers, method, params));
  return { core: { dispatch }, reached, dispatch };
}

let window: FakeBrowserWindow;
beforeEach(() => {
  resetElectron();
  window = new FakeBrowserWindow({});
  window.webContents.mainFrame.url = RENDERER;
});

function policy() {
  return { window: () => window as never, isRendererUrl: (url: string) => isRendererUrl(url, renderer) };
}

/** An invoke event as Electron builds it. */
function eventFrom(sender: FakeWebContents, frame: FakeWebFrame | null = sender.mainFrame) {
  return { sender, senderFrame: frame, frameId: 1, processId: 1, type: 'frame' } as never;
}

async function call(table: ReturnType<typeof createIpcHandlerTable>, method: IpcMethodName, event: never, params: unknown): Promise<IpcResult<unknown>> {
  return table.get(method)!(event, params);
}

describe('IPC handler table', () => {
  it('has one handler per contract method, registered on its channel, and removable', () => {
    const table = createIpcHandlerTable(observableCore().core, policy());
    expect([...table.keys()].sort()).toEqual([...IPC_METHOD_NAMES].sort());
    const dispose = registerIpcHandlers(table);
    expect([...ipcMainHandlers.keys()].sort()).toEqual(IPC_METHOD_NAMES.map(methodChannel).sort());
    expect(electron.ipcMain.handle).toHaveBeenCalledTimes(IPC_METHOD_NAMES.length);
    dispose();
    expect(ipcMainHandlers.size).toBe(0);
  });

  it('passes calls from our window’s top frame to the core', async () => {
    const { core, reached } = observableCore();
    const table = createIpcHandlerTable(core, policy());
    const result = await call(table, 'conversation.setActive', eventFrom(window.webContents), { conversationId: null });
    expect(result).toEqual({ ok: true, value: null });
    expect(reached).toEqual([{ method: 'conversation.setActive', params: { conversationId: null } }]);
  });

  it('returns the core’s envelope through the registered ipcMain handler too', async () => {
    const { core } = observableCore();
    registerIpcHandlers(createIpcHandlerTable(core, policy()));
    const handler = ipcMainHandlers.get(methodChannel('settings.get'))!;
    await expect(handler(eventFrom(window.webContents), null)).resolves.toEqual({ ok: true, value: null });
  });

  describe('refuses foreign senders without reaching the core', () => {
    const warn = () => vi.spyOn(console, 'warn').mockImplementation(() => {});

    it.each([
      ['another webContents', () => eventFrom(new FakeWebContents(RENDERER))],
      ['a subframe of our window', () => eventFrom(window.webContents, new FakeWebFrame(RENDERER, window.webContents.mainFrame))],
      ['our window showing another URL', () => eventFrom(window.webContents, new FakeWebFrame('https://evil.example/'))],
      ['another local file', () => eventFrom(window.webContents, new FakeWebFrame('file:///home/me/Downloads/x.html'))],
      ['a frame that is gone', () => eventFrom(window.webContents, null)],
    ])('%s', async (_name, makeEvent) => {
      const spy = warn();
      const { core, dispatch } = observableCore();
      const table = createIpcHandlerTable(core, policy());
      const result = await call(table, 'message.send', makeEvent(), { conversationId: 'c_1', body: 'hi' });
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(dispatch).not.toHaveBeenCalled();
      spy.mockRestore();
    });

    it('when the window has been destroyed', async () => {
      const spy = warn();
      const { core, dispatch } = observableCore();
      const table = createIpcHandlerTable(core, { ...policy(), window: () => null });
      const result = await call(table, 'settings.get', eventFrom(window.webContents), null);
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(dispatch).not.toHaveBeenCalled();
      spy.mockRestore();
    });
  });

  it.each([
    ['message.send', { conversationId: 'c_1' }],
    ['message.send', { conversationId: 'c_1', body: 'hi', extra: true }],
    ['shell.openExternal', { url: 42 }],
    ['settings.update', { lastServerUrl: 'https://x.example' }],
    ['conversation.setActive', 'c_1'],
    ['settings.get', { sneaky: true }],
  ] as const)('bad arguments to %s are rejected by validation, never reaching a handler', async (method, params) => {
    const { core, reached } = observableCore();
    const table = createIpcHandlerTable(core, policy());
    const result = await call(table, method, eventFrom(window.webContents), params);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(reached).toEqual([]);
  });

  it('a core that throws anyway still yields an envelope', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const table = createIpcHandlerTable({ dispatch: () => Promise.reject(new Error('boom')) }, policy());
    await expect(call(table, 'settings.get', eventFrom(window.webContents), null)).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    spy.mockRestore();
  });
});

describe('isRendererUrl', () => {
  it('production: only the built index.html, whatever the hash or query', () => {
    expect(isRendererUrl(RENDERER, renderer)).toBe(true);
    expect(isRendererUrl(`${RENDERER}#/c/1?x=1`, renderer)).toBe(true);
    expect(isRendererUrl('file:///opt/Courier/resources/app.asar/out/renderer/other.html', renderer)).toBe(false);
    expect(isRendererUrl('file://server/opt/Courier/resources/app.asar/out/renderer/index.html', renderer)).toBe(false);
    expect(isRendererUrl('http://localhost:5173/', renderer)).toBe(false);
    expect(isRendererUrl('not a url', renderer)).toBe(false);
  });

  it('production on Windows: paths compare case-insensitively, percent-encoding decoded', () => {
    const win = { htmlFileUrl: 'file:///C:/Program%20Files/Courier/resources/app.asar/out/renderer/index.html', platform: 'win32' as const };
    expect(isRendererUrl('file:///c:/program files/Courier/resources/app.asar/out/renderer/index.html', win)).toBe(true);
  });

  it('development: the dev server origin only, never file:', () => {
    const dev = { ...renderer, devServerUrl: 'http://localhost:5173/' };
    expect(isRendererUrl('http://localhost:5173/some/route', dev)).toBe(true);
    expect(isRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isRendererUrl(RENDERER, dev)).toBe(false);
  });
});
