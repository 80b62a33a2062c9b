// Runs in the browser as a classic script before the app's module script, in place of
// src/preload/index.ts: it defines `window.courier` and nothing else, with the preload's
// checks (names from the shared contract, listeners must be functions), and carries calls
// and events over one WebSocket to the Node process that runs the real core.
//
// Typechecked with Node's types (tsconfig.server.json has no DOM lib), so the few browser
// globals used are declared here by hand.
import type { CourierAppInfo } from '../../../src/shared/app-info';
import type { CourierBridge, IpcEventPayload, IpcParams, IpcResult, IpcResultValue } from '../../../src/shared/ipc/contract';
import { IPC_EVENT_NAMES, IPC_METHOD_NAMES, type IpcEventName, type IpcMethodName } from '../../../src/shared/ipc/names';
import { BRIDGE_CLOSED, BRIDGE_PATH, parseNodeFrame, type BridgeHostInfo, type PageFrame } from './bridge-protocol';

/** Replaced by esbuild's `define` when the server bundles this file (bridge-script.ts). */
declare const COURIER_HARNESS_HOST: BridgeHostInfo;

interface PageSocket {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

interface PageGlobals {
  WebSocket: { new (url: string): PageSocket; readonly OPEN: number };
  location: { host: string };
  navigator: { userAgent: string };
  reportError(error: unknown): void;
}

const page = globalThis as unknown as PageGlobals;

const info: CourierAppInfo = Object.freeze({
  platform: 'linux',
  versions: Object.freeze({
    app: COURIER_HARNESS_HOST.appVersion,
    electron: 'browser harness',
    chrome: /Chrome\/([\d.]+)/.exec(page.navigator.userAgent)?.[1] ?? 'chromium',
    node: COURIER_HARNESS_HOST.nodeVersion,
  }),
});

const METHODS: ReadonlySet<string> = new Set(IPC_METHOD_NAMES);
const EVENTS: ReadonlySet<string> = new Set(IPC_EVENT_NAMES);

const pending = new Map<number, (result: IpcResult<unknown>) => void>();
const listeners = new Map<IpcEventName, Set<(payload: unknown) => void>>();
/** Frames sent before the socket opened, in call order. */
const queue: string[] = [];
let nextId = 1;
let closed = false;

const socket = new page.WebSocket(`ws://${page.location.host}${BRIDGE_PATH}`);
socket.addEventListener('open', () => {
  for (const frame of queue.splice(0)) socket.send(frame);
});
socket.addEventListener('close', () => {
  closed = true;
  queue.length = 0;
  for (const resolve of pending.values()) resolve(BRIDGE_CLOSED);
  pending.clear();
});
socket.addEventListener('message', ({ data }) => {
  const frame = typeof data === 'string' ? parseNodeFrame(data) : null;
  if (frame === null) throw new Error('The harness bridge sent a frame that does not parse.');
  if (frame.t === 'result') {
    pending.get(frame.id)?.(frame.result);
    pending.delete(frame.id);
    return;
  }
  for (const listener of [...(listeners.get(frame.event) ?? [])]) {
    // As with ipcRenderer, a throwing listener is the page's uncaught error; unlike an
    // EventEmitter loop it must not starve the other listeners of the event.
    try {
      listener(frame.payload);
    } catch (error) {
      page.reportError(error);
    }
  }
});

function failure(code: string, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

const bridge = {
  app: info,

  invoke<M extends IpcMethodName>(method: M, params: IpcParams<M>): Promise<IpcResult<IpcResultValue<M>>> {
    if (typeof method !== 'string' || !METHODS.has(method)) {
      return Promise.resolve(failure('unknown_method', `There is no method called ${JSON.stringify(String(method)).slice(0, 80)}.`));
    }
    if (closed) return Promise.resolve(BRIDGE_CLOSED);
    const id = nextId++;
    const frame: PageFrame = { t: 'call', id, method, params };
    const text = JSON.stringify(frame);
    return new Promise<IpcResult<IpcResultValue<M>>>((resolve) => {
      pending.set(id, resolve as (result: IpcResult<unknown>) => void);
      if (socket.readyState === page.WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    });
  },

  on<E extends IpcEventName>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void {
    if (typeof event !== 'string' || !EVENTS.has(event)) throw new TypeError(`There is no event called ${JSON.stringify(String(event)).slice(0, 80)}.`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    // A fresh wrapper per call, as the preload does: the same function registered twice
    // is called twice, and each unsubscribe removes exactly its own registration.
    const wrapper = (payload: unknown): void => listener(payload as IpcEventPayload<E>);
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(wrapper);
    return () => {
      set.delete(wrapper);
    };
  },
} satisfies CourierBridge;

Object.defineProperty(globalThis, 'courier', { value: Object.freeze(bridge), enumerable: true, writable: false, configurable: false });
