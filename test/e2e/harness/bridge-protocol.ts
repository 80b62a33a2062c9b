import type { IpcResult } from '../../../src/shared/ipc/contract';
import { IPC_EVENT_NAMES, type IpcEventName } from '../../../src/shared/ipc/names';

/**
 * The harness's stand-in for Electron IPC: JSON frames on one WebSocket per page between
 * bridge-page.ts (the browser's `window.courier`) and renderer-server.ts (Node, the real
 * core). Both ends parse what they receive; a frame that does not parse closes the socket.
 * This file is bundled into the page, so it imports nothing heavier than the name lists.
 */

export const BRIDGE_PATH = '/__courier/bridge';
export const BRIDGE_SCRIPT_PATH = '/__courier/bridge.js';

/** Close code for a frame that does not parse (RFC 6455 "policy violation"). */
export const CLOSE_BAD_FRAME = 1008;

export interface CallFrame {
  t: 'call';
  id: number;
  method: string;
  params: unknown;
}

export type PageFrame = CallFrame;

export type NodeFrame = { t: 'result'; id: number; result: IpcResult<unknown> } | { t: 'event'; event: IpcEventName; payload: unknown };

/** What the page answers for calls that cannot reach the core any more. */
export const BRIDGE_CLOSED: IpcResult<never> = Object.freeze({
  ok: false,
  error: Object.freeze({ code: 'internal', message: 'The harness bridge closed.' }),
});

/** Node's facts for `window.courier.app`, embedded in the served bridge script. */
export interface BridgeHostInfo {
  appVersion: string;
  nodeVersion: string;
}

const EVENTS: ReadonlySet<string> = new Set(IPC_EVENT_NAMES);

export function parsePageFrame(text: string): PageFrame | null {
  const value = parseObject(text);
  if (value === null || value['t'] !== 'call') return null;
  const { id, method } = value;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof method !== 'string') return null;
  return { t: 'call', id, method, params: value['params'] ?? null };
}

export function parseNodeFrame(text: string): NodeFrame | null {
  const value = parseObject(text);
  if (value === null) return null;
  if (value['t'] === 'result') {
    const { id, result } = value;
    if (typeof id !== 'number' || !isEnvelope(result)) return null;
    return { t: 'result', id, result };
  }
  if (value['t'] === 'event') {
    const { event } = value;
    if (typeof event !== 'string' || !EVENTS.has(event)) return null;
    return { t: 'event', event: event as IpcEventName, payload: value['payload'] ?? null };
  }
  return null;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isEnvelope(value: unknown): value is IpcResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const envelope = value as Record<string, unknown>;
  // JSON drops `value: undefined`; structured clone (Electron) would keep it as undefined.
  if (envelope['ok'] === true) return true;
  const error = envelope['error'];
  return envelope['ok'] === false && typeof error === 'object' && error !== null && typeof (error as Record<string, unknown>)['code'] === 'string';
}
