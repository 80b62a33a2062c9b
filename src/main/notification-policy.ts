import type { Settings } from '../shared/ipc/settings';
import type { WindowAttention } from './main-window';

/**
 * Whether one incoming message raises a native notification. Pure, so the whole decision
 * table is tested. The user is told about a message when it is new (arrived live or during
 * catch-up) and they are not already looking at it, unless they asked for quiet.
 */
export interface NotificationFacts {
  /** From the 'messages.changed' event: 'local' is the user's own compose, 'history' an old page. */
  origin: 'local' | 'live' | 'sync' | 'history';
  /** System entries (member added, renamed...) never notify. */
  kind: 'text' | 'system';
  fromMe: boolean;
  muted: boolean;
  settings: Pick<Settings, 'notifications' | 'notificationsPaused' | 'status'>;
  window: WindowAttention;
  /** The message's conversation is the one the window shows. */
  conversationActive: boolean;
  /** The sender is someone the user blocked (their group messages still arrive; they never notify). */
  senderBlocked: boolean;
  /** The conversation is a request or an invitation the user has not answered. */
  request: boolean;
  /** That request has raised its one notification already: a stranger gets one, not one per message. */
  requestNotified: boolean;
}

export function shouldNotify(f: NotificationFacts): boolean {
  if (f.origin !== 'live' && f.origin !== 'sync') return false;
  if (f.kind !== 'text' || f.fromMe || f.muted) return false;
  if (f.senderBlocked || (f.request && f.requestNotified)) return false;
  if (!f.settings.notifications || f.settings.notificationsPaused || f.settings.status === 'dnd') return false;
  // Looking right at it: the window is in front and shows this conversation.
  return !(f.window === 'focused' && f.conversationActive);
}

/** Longest body we hand to the OS; notification centres cut earlier anyway. */
export const MAX_BODY_CHARS = 200;

/**
 * Bidi overrides/isolates could make a body read differently from what was sent (a classic
 * spoofing trick), and control characters have no business in a one-line preview.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Plain text for a notification: unsafe characters removed, whitespace collapsed, cut to
 * `max` characters (by code point, never halving an emoji).
 */
export function plainPreview(text: string, max = MAX_BODY_CHARS): string {
  const clean = text.replace(UNSAFE_CHARS, '').replace(/\s+/g, ' ').trim();
  const chars = Array.from(clean);
  return chars.length <= max ? clean : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/**
 * On Linux the notification server may interpret the body as markup (the freedesktop spec
 * allows <b>, <i>, <a>, <img>; GNOME, KDE, XFCE and dunst do), so a message saying
 * "<b>hi</b>" or "a & b" must be escaped there to show as written. Other platforms show
 * text literally.
 */
export function escapeForPlatform(text: string, platform: NodeJS.Platform): string {
  if (platform !== 'linux') return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What the user has not answered yet, said before its text (or null for an ordinary conversation). */
export type RequestKind = 'direct' | 'group';

/**
 * One message: its text. A burst: how many, then the latest text. A request or invitation
 * says so first, so a stranger's text is never mistaken for a friend's.
 */
export function notificationBody(count: number, latestText: string, platform: NodeJS.Platform, request: RequestKind | null = null): string {
  const preview = plainPreview(latestText);
  const text = count <= 1 ? preview : plainPreview(`${count} new messages: ${preview}`);
  const body = request === null ? text : plainPreview(`${request === 'direct' ? 'Message request' : 'Group invitation'}: ${text}`);
  return escapeForPlatform(body, platform);
}
