// Runs sandboxed, before the page, with a reduced `process` and a few electron modules.
// It exposes `window.courier` and nothing else: read-only app facts plus two verbs, each
// limited to the names of the shared IPC contract. No ipcRenderer, no event objects and no
// channel names reach the page, because the page shows text written by other people and
// anything exposed here is reachable by it.
//
// Only names.ts is imported at run time (the zod schemas would make this bundle ~100x
// bigger); main validates every argument anyway.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { APP_VERSION_SWITCH, type CourierAppInfo } from '../shared/app-info';
import type { CourierBridge, IpcEventPayload, IpcParams, IpcResult, IpcResultValue } from '../shared/ipc/contract';
import { eventChannel, IPC_EVENT_NAMES, IPC_METHOD_NAMES, methodChannel, type IpcEventName, type IpcMethodName } from '../shared/ipc/names';

function appVersionFromArgv(argv: readonly string[]): string {
  const arg = argv.find((value) => value.startsWith(APP_VERSION_SWITCH));
  return arg === undefined ? 'unknown' : arg.slice(APP_VERSION_SWITCH.length);
}

const info: CourierAppInfo = Object.freeze({
  platform: process.platform,
  versions: Object.freeze({
    app: appVersionFromArgv(process.argv),
    electron: process.versions['electron'] ?? 'unknown',
    chrome: process.versions['chrome'] ?? 'unknown',
    node: process.versions.node,
  }),
});

const METHODS: ReadonlySet<string> = new Set(IPC_METHOD_NAMES);
const EVENTS: ReadonlySet<string> = new Set(IPC_EVENT_NAMES);

function failure(code: string, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

const bridge = {
  app: info,

  invoke<M extends IpcMethodName>(method: M, params: IpcParams<M>): Promise<IpcResult<IpcResultValue<M>>> {
    // The page is not type-checked against us at run time: check the name here too.
    if (typeof method !== 'string' || !METHODS.has(method)) {
      return Promise.resolve(failure('unknown_method', `There is no method called ${JSON.stringify(String(method)).slice(0, 80)}.`));
    }
    // Rejects only if main has no handler (yet) or the window is going away.
    return (ipcRenderer.invoke(methodChannel(method), params) as Promise<IpcResult<IpcResultValue<M>>>).catch(() =>
      failure('unavailable', 'Courier is not ready yet. Try again in a moment.'),
    );
  },

  on<E extends IpcEventName>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void {
    if (typeof event !== 'string' || !EVENTS.has(event)) throw new TypeError(`There is no event called ${JSON.stringify(String(event)).slice(0, 80)}.`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    const channel = eventChannel(event);
    // The IpcRendererEvent has `sender` (ipcRenderer itself); only the payload crosses.
    const wrapper = (_event: IpcRendererEvent, payload: IpcEventPayload<E>): void => listener(payload);
    ipcRenderer.on(channel, wrapper);
    return () => {
      ipcRenderer.removeListener(channel, wrapper);
    };
  },
} satisfies CourierBridge;

contextBridge.exposeInMainWorld('courier', Object.freeze(bridge));
