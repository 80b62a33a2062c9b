import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CourierBridge } from '../../src/shared/ipc/contract';
import { eventChannel, IPC_EVENT_NAMES, IPC_METHOD_NAMES, methodChannel } from '../../src/shared/ipc/names';
import { electron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

/** CourierBridge's keys, checked against the interface in both directions at compile time. */
const BRIDGE_KEYS = ['app', 'invoke', 'on'] as const;
type Missing = Exclude<keyof CourierBridge, (typeof BRIDGE_KEYS)[number]>;
type Extra = Exclude<(typeof BRIDGE_KEYS)[number], keyof CourierBridge>;
const KEYS_MATCH: [Missing, Extra] extends [never, never] ? true : never = true;

let bridge: CourierBridge;

beforeAll(async () => {
  electron.contextBridge.exposeInMainWorld.mockClear();
  await import('../../src/preload/index');
  expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [name, value] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, CourierBridge];
  expect(name).toBe('courier');
  bridge = value;
});

beforeEach(() => {
  electron.ipcRenderer.invoke.mockClear();
  electron.ipcRenderer.invoke.mockImplementation(() => Promise.resolve({ ok: true, value: 'answer' }));
});

describe('preload: window.courier', () => {
  it('exposes exactly the keys of CourierBridge, frozen', () => {
    expect(KEYS_MATCH).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_KEYS].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.app)).toBe(true);
    expect(Object.keys(bridge.app).sort()).toEqual(['platform', 'versions']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.on).toBe('function');
  });

  it('invoke uses each method’s own channel and returns main’s envelope', async () => {
    for (const method of IPC_METHOD_NAMES) {
      electron.ipcRenderer.invoke.mockClear();
      await expect(bridge.invoke(method, null as never)).resolves.toEqual({ ok: true, value: 'answer' });
      expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(methodChannel(method), null);
    }
    await bridge.invoke('message.send', { conversationId: 'c_1', body: 'hi' });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('courier:call:message.send', { conversationId: 'c_1', body: 'hi' });
  });

  it('invoke refuses a name outside the contract without sending anything', async () => {
    for (const bad of ['shell.openPath', 'courier:call:settings.get', '__proto__', 42, undefined]) {
      await expect(bridge.invoke(bad as never, null as never)).resolves.toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('invoke turns a missing handler into an envelope instead of a rejection', async () => {
    electron.ipcRenderer.invoke.mockImplementation(() => Promise.reject(new Error("No handler registered for 'courier:call:settings.get'")));
    await expect(bridge.invoke('settings.get', null)).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('on delivers only the payload, never the IpcRendererEvent', () => {
    const received: unknown[][] = [];
    const off = bridge.on('unread', (...args: unknown[]) => received.push(args));
    const event = { sender: electron.ipcRenderer, senderId: 0, ports: [] };
    electron.ipcRenderer.emit(eventChannel('unread'), event, { total: 3 });
    expect(received).toEqual([[{ total: 3 }]]);
    off();
  });

  it('on subscribes to each event’s own channel', () => {
    for (const name of IPC_EVENT_NAMES) {
      const listener = vi.fn();
      const off = bridge.on(name, listener);
      electron.ipcRenderer.emit(eventChannel(name), {}, { name });
      expect(listener).toHaveBeenCalledWith({ name });
      off();
    }
  });

  it('the returned function unsubscribes exactly that listener', () => {
    const a = vi.fn();
    const b = vi.fn();
    const offA = bridge.on('typing', a);
    const offB = bridge.on('typing', b);
    expect(electron.ipcRenderer.listenerCount(eventChannel('typing'))).toBe(2);
    offA();
    electron.ipcRenderer.emit(eventChannel('typing'), {}, 'x');
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledWith('x');
    expect(electron.ipcRenderer.listenerCount(eventChannel('typing'))).toBe(1);
    offA();
    expect(electron.ipcRenderer.listenerCount(eventChannel('typing'))).toBe(1);
    offB();
    expect(electron.ipcRenderer.listenerCount(eventChannel('typing'))).toBe(0);
  });

  it('on refuses unknown event names and non-function listeners', () => {
    expect(() => bridge.on('courier:event:unread' as never, () => {})).toThrow(TypeError);
    expect(() => bridge.on('unread', 'alert(1)' as never)).toThrow(TypeError);
    expect(electron.ipcRenderer.eventNames()).toEqual([]);
  });
});
