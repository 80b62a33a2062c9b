import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CoreEventListener, DesktopCore, DesktopCoreOptions } from '../../src/client/app/desktop-core';
import { DEFAULT_SETTINGS } from '../../src/shared/ipc/settings';
import { eventChannel, IPC_METHOD_NAMES, methodChannel } from '../../src/shared/ipc/names';
import { electron, FakeBrowserWindow, FakeEvent, FakeNotification, FakeTray, ipcMainHandlers, resetElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);
vi.mock('../../src/client/app/create-desktop-core', () => ({ createDesktopCore: vi.fn() }));

const { createDesktopCore } = await import('../../src/client/app/create-desktop-core');

/**
 * src/main/index.ts as a whole: the composition root run against the fake electron and a
 * fake core, to check the wiring the unit tests of each module cannot see.
 */
function fakeCore() {
  const listeners = new Set<CoreEventListener>();
  let settings = { ...DEFAULT_SETTINGS };
  const core = {
    dispatch: vi.fn<DesktopCore['dispatch']>((method) =>
      Promise.resolve(method === 'conversations.list' ? { ok: true, value: [{ id: 'c_1', unread: 2, muted: false }, { id: 'c_2', unread: 5, muted: true }] } : { ok: true, value: null }),
    ),
    subscribe: vi.fn((listener: CoreEventListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    settings: () => settings,
    updateSettings: vi.fn<DesktopCore['updateSettings']>((patch) => (settings = { ...settings, ...patch })),
    activeConversationId: () => null,
    myUserId: () => 'u_me',
    conversationInfo: (id: string) => (id === 'c_1' ? { title: 'Alice', muted: false } : null),
    reconnectNow: vi.fn(),
    setIdle: vi.fn(),
    close: vi.fn(() => Promise.resolve()),
  } satisfies DesktopCore;
  const emit: CoreEventListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  return { core, emit, listeners };
}

let dir: string;
let fake: ReturnType<typeof fakeCore>;
const savedArgv = process.argv;

let runs = 0;
async function startMain(...args: string[]): Promise<void> {
  process.argv = ['/opt/Courier/courier', ...args];
  // A fresh evaluation of index.ts per test (the query makes it a new module instance)
  // against the same mocked electron.
  const entry = `../../src/main/index.ts?run=${++runs}`;
  await import(/* @vite-ignore */ entry);
  // Let whenReady().then(...) run to the end.
  await vi.waitFor(() => expect(started()).toBe(true));
}
const started = () => FakeTray.instances.length > 0 || electron.app.exit.mock.calls.length > 0 || electron.app.quit.mock.calls.length > 0;
const windows = () => FakeBrowserWindow.instances;

beforeEach(() => {
  resetElectron();
  dir = mkdtempSync(join(tmpdir(), 'courier-main-'));
  electron.app.isPackaged = false;
  electron.app.getPath.mockImplementation((name: string) => join(dir, name));
  fake = fakeCore();
  vi.mocked(createDesktopCore).mockReset();
  vi.mocked(createDesktopCore).mockImplementation(() => Promise.resolve(fake.core));
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  process.argv = savedArgv;
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('main process composition', () => {
  it('sets a profile’s userData before taking the single-instance lock', async () => {
    await startMain('--profile', 'work');
    expect(electron.app.setPath).toHaveBeenCalledWith('userData', join(dir, 'appData', 'Courier-work'));
    const setPathOrder = electron.app.setPath.mock.invocationCallOrder[0]!;
    expect(setPathOrder).toBeLessThan(electron.app.requestSingleInstanceLock.mock.invocationCallOrder[0]!);
    expect(electron.app.enableSandbox).toHaveBeenCalled();
  });

  it('refuses a bad profile name before doing anything else', async () => {
    await startMain('--profile', '../etc');
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('Courier', expect.stringContaining('Invalid profile name'));
    expect(electron.app.exit).toHaveBeenCalledWith(2);
    expect(electron.app.requestSingleInstanceLock).not.toHaveBeenCalled();
  });

  it('a second instance quits at once', async () => {
    electron.app.requestSingleInstanceLock.mockImplementation(() => false);
    await startMain();
    expect(electron.app.quit).toHaveBeenCalled();
    expect(createDesktopCore).not.toHaveBeenCalled();
  });

  it('starts the core in the profile folder, registers every IPC method, shows the window', async () => {
    await startMain();
    expect(createDesktopCore).toHaveBeenCalledWith(expect.objectContaining({ profileDir: join(dir, 'userData') }));
    const options = vi.mocked(createDesktopCore).mock.calls[0]![0] as DesktopCoreOptions;
    expect(options.deviceName).toMatch(/^Courier on .+ \(linux\)$/);
    expect([...ipcMainHandlers.keys()].sort()).toEqual(IPC_METHOD_NAMES.map(methodChannel).sort());
    expect(windows()).toHaveLength(1);
    windows()[0]!.readyToShow();
    expect(windows()[0]!.isVisible()).toBe(true);
  });

  it('--hidden starts in the tray; a second launch then opens the window', async () => {
    await startMain('--hidden');
    expect(windows()).toHaveLength(0);
    expect(FakeTray.instances).toHaveLength(1);
    electron.app.emit('second-instance');
    expect(windows()).toHaveLength(1);
  });

  it('forwards every core event to the window on its channel', async () => {
    await startMain();
    const window = windows()[0]!;
    fake.emit('typing', { conversationId: 'c_1', userId: 'u_a', typing: true, ttlMs: 5000 });
    fake.emit('outbox', { pending: 1, failed: 0 });
    expect(window.webContents.send.mock.calls).toEqual([
      [eventChannel('typing'), { conversationId: 'c_1', userId: 'u_a', typing: true, ttlMs: 5000 }],
      [eventChannel('outbox'), { pending: 1, failed: 0 }],
    ]);
  });

  it('shows the unread count from the start and follows the unread event', async () => {
    await startMain();
    const tray = FakeTray.instances[0]!;
    // 2 in c_1; the 5 in muted c_2 do not count.
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Courier — 2 unread');
    expect(electron.app.setBadgeCount).toHaveBeenLastCalledWith(2);
    fake.emit('unread', { total: 7 });
    expect(tray.setToolTip).toHaveBeenLastCalledWith('Courier — 7 unread');
    expect(electron.app.setBadgeCount).toHaveBeenLastCalledWith(7);
  });

  it('the tray menu changes status through the core and is rebuilt on the settings event', async () => {
    await startMain();
    const tray = FakeTray.instances[0]!;
    const menu = () => (tray.setContextMenu.mock.calls.at(-1)![0] as { items: { label?: string; checked?: boolean; click?: (i: { checked: boolean }) => void }[] }).items;
    menu().find((i) => i.label === 'Away')!.click!({ checked: true });
    expect(fake.core.updateSettings).toHaveBeenCalledWith({ status: 'away' });
    fake.emit('settings', { ...DEFAULT_SETTINGS, status: 'away' });
    expect(menu().find((i) => i.label === 'Away')!.checked).toBe(true);
  });

  it('a notification click shows the window and navigates once the renderer has loaded', async () => {
    await startMain('--hidden');
    fake.emit('messages.changed', {
      conversationId: 'c_1',
      origin: 'live',
      messages: [{ conversationId: 'c_1', seq: 1, clientId: 'x', senderId: 'u_a', kind: 'text', body: 'hi', system: null, ts: 1, state: 'sent', error: null }],
    });
    expect(FakeNotification.instances).toHaveLength(1);
    FakeNotification.instances[0]!.click();
    const window = windows()[0]!;
    expect(window.webContents.send).not.toHaveBeenCalledWith(eventChannel('navigate.conversation'), expect.anything());
    window.webContents.finishLoad();
    expect(window.webContents.send).toHaveBeenCalledWith(eventChannel('navigate.conversation'), { conversationId: 'c_1' });
  });

  it('quit closes the core first, then quits for real', async () => {
    await startMain();
    const event = new FakeEvent();
    electron.app.emit('before-quit', event);
    expect(event.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled());
    expect(fake.core.close).toHaveBeenCalledTimes(1);
    expect(fake.listeners.size).toBe(0);
    expect(ipcMainHandlers.size).toBe(0);
    expect(FakeTray.instances[0]!.destroy).toHaveBeenCalled();
    // The window now really closes.
    const window = windows()[0]!;
    window.close();
    expect(window.isDestroyed()).toBe(true);
  });
});
