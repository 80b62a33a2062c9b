import { shell } from 'electron';
import { isSafeExternalUrl } from '../shared/ipc/external-url';

/**
 * The one way Courier opens a link outside itself. Only http(s) without credentials
 * (isSafeExternalUrl): file:, javascript: and custom schemes can start programs on the
 * user's machine, and a message is text written by someone else. The OS receives the
 * WHATWG-normalised URL, so what was checked is exactly what is opened.
 *
 * Returns whether the link was handed to the OS (the browser opens asynchronously).
 */
export function openExternalSafely(url: string): boolean {
  if (!isSafeExternalUrl(url)) return false;
  const normalized = new URL(url).href;
  shell.openExternal(normalized).catch((error: unknown) => console.error('Courier could not open a link:', error));
  return true;
}
