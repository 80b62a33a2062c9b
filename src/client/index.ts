/**
 * The headless Courier client (Node): HTTP account calls, one protocol connection, and
 * the desktop engine (local store, outbox, reconnects) behind DesktopCore.
 * Used by tests, benchmarks and bots, and by the desktop app's main process.
 */
export { CourierHttp } from './http-api';
export { CourierSocket, type SocketOptions, type HistoryPageOptions } from './courier-socket';
export { CourierError, SessionEndedError } from './errors';
export { createDesktopCore } from './app/create-desktop-core';
export type { DesktopCore, DesktopCoreOptions, SecretVault, ShellPort } from './app/desktop-core';
