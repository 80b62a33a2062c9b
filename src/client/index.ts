/**
 * The headless Courier client (Node): HTTP account calls and one protocol connection.
 * Used by tests, benchmarks and bots, and by the desktop app's main process.
 */
export { CourierHttp } from './http-api';
export { CourierSocket, type SocketOptions } from './courier-socket';
export { CourierError } from './errors';
