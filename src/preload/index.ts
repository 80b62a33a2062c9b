// Runs sandboxed, before the page, with access to a reduced `process` and a few electron
// modules. It exposes plain read-only data only: no ipcRenderer, no functions that reach
// main, because the renderer displays untrusted content and anything exposed here is
// reachable by it. Real APIs arrive with the IPC contract in src/shared.
import { contextBridge } from 'electron';
import { APP_VERSION_SWITCH, type CourierAppInfo } from '../shared/app-info';

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

contextBridge.exposeInMainWorld('courier', info);
