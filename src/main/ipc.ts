import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { DesktopCore } from '../client/app/desktop-core';
import type { IpcResult } from '../shared/ipc/contract';
import { IPC_METHOD_NAMES, methodChannel, type IpcMethodName } from '../shared/ipc/names';

/**
 * Main's side of the IPC contract: one ipcMain.handle per method name. Before anything
 * else each handler checks who is calling; only then does the core see the call, and the
 * core validates the arguments with the contract's zod schema. Every answer is a result
 * envelope, so nothing is thrown across the bridge.
 */
export interface SenderPolicy {
  /** The main window, if it exists. */
  window(): BrowserWindow | null;
  /** Whether a frame URL is our renderer page (see renderer-location.ts). */
  isRendererUrl(url: string): boolean;
}

/** Why the sender is refused, or null if it is our window's top frame showing our page. */
export function senderRejection(event: IpcMainInvokeEvent, policy: SenderPolicy): string | null {
  const window = policy.window();
  if (window === null || window.isDestroyed()) return 'no app window';
  if (event.sender !== window.webContents) return 'not the app window';
  const frame = event.senderFrame;
  // null: the frame navigated away or was destroyed after sending; its page is not ours.
  if (frame === null) return 'the sending frame is gone';
  if (frame.parent !== null) return 'a subframe';
  if (!policy.isRendererUrl(frame.url)) return 'not the app page';
  return null;
}

export type IpcHandler = (event: IpcMainInvokeEvent, params: unknown) => Promise<IpcResult<unknown>>;

export function createIpcHandlerTable(core: Pick<DesktopCore, 'dispatch'>, policy: SenderPolicy): Map<IpcMethodName, IpcHandler> {
  const table = new Map<IpcMethodName, IpcHandler>();
  for (const name of IPC_METHOD_NAMES) {
    table.set(name, async (event, params) => {
      const rejection = senderRejection(event, policy);
      if (rejection !== null) {
        console.warn(`Courier refused IPC ${name}: ${rejection}`);
        return { ok: false, error: { code: 'forbidden', message: 'This page may not use Courier.' } };
      }
      try {
        return await core.dispatch(name, params);
      } catch (error) {
        // dispatch promises never to throw; if it does anyway, the renderer still gets an envelope.
        console.error(`Courier IPC ${name} failed:`, error);
        return { ok: false, error: { code: 'internal', message: 'Something went wrong inside Courier.' } };
      }
    });
  }
  return table;
}

/** Registers the table; returns the function that removes every handler again. */
export function registerIpcHandlers(table: ReadonlyMap<IpcMethodName, IpcHandler>): () => void {
  for (const [name, handler] of table) ipcMain.handle(methodChannel(name), handler);
  return () => {
    for (const name of table.keys()) ipcMain.removeHandler(methodChannel(name));
  };
}
