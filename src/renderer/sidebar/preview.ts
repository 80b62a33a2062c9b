import { BLOCKED_MESSAGE } from '../format/blocking';
import { systemText, typingText, YOU, type ConversationNames } from '../format/names';
import type { LocalConversation } from '../state/types';

/** How many characters of a message the sidebar keeps (CSS ellipsizes; this bounds the DOM). */
const PREVIEW_CHARS = 160;

export interface Preview {
  text: string;
  /** Still in the outbox: shown with a clock. */
  pending: boolean;
  /** Refused by the server for good. */
  failed: boolean;
}

/** One line of plain text: any run of whitespace (newlines, tabs, U+2028…) becomes one space. */
export function singleLine(text: string, max = PREVIEW_CHARS): string {
  const line = text.replace(/\s+/gu, ' ').trim();
  if (line.length <= max) return line;
  // Count code points, so a surrogate pair is never cut in half (bounded: at most 4 code units each).
  const points = [...line.slice(0, max * 2 + 2)];
  return points.length <= max ? line : `${points.slice(0, max).join('')}…`;
}

/**
 * The last entry as the sidebar shows it: "You: …" for mine, "Ann: …" in groups (the
 * first name, or more where that could mislead: ConversationNames.short), a sentence for
 * system entries, and never the text of someone the user blocked.
 */
export function previewOf(c: LocalConversation, names: ConversationNames, isBlocked: (userId: string) => boolean = () => false): Preview {
  const myUserId = names.myUserId;
  const m = c.lastMessage;
  if (!m) return { text: 'No messages yet', pending: false, failed: false };
  const pending = m.state === 'pending';
  const failed = m.state === 'failed';
  if (m.kind === 'system' && m.system) {
    return { text: singleLine(systemText(m.system, m.senderId, c.kind, names)), pending, failed };
  }
  if (m.senderId !== myUserId && isBlocked(m.senderId)) return { text: BLOCKED_MESSAGE, pending, failed };
  const body = singleLine(m.body ?? '');
  if (m.senderId === myUserId) return { text: `${YOU}: ${body}`, pending, failed };
  if (c.kind === 'group') return { text: `${names.short(m.senderId)}: ${body}`, pending, failed };
  return { text: body, pending, failed };
}

/** "typing…" in a direct chat, "Ann is typing…" in a group; null when nobody (but me) types. */
export function typingHint(c: LocalConversation, typingUserIds: readonly string[] | undefined, names: ConversationNames): string | null {
  const others = (typingUserIds ?? []).filter((u) => u !== names.myUserId);
  if (others.length === 0) return null;
  if (c.kind === 'direct') return 'typing…';
  return typingText(others.map((u) => names.short(u)));
}

export function unreadLabel(n: number): string {
  return n === 1 ? '1 unread message' : `${n} unread messages`;
}

/** What marks a conversation the user has not answered yet: the label in place of its unread badge. */
export type RequestMark = 'Request' | 'Invitation';

export function requestLabel(mark: RequestMark): string {
  return mark === 'Request' ? 'message request' : 'group invitation';
}

/**
 * What a screen reader hears for a sidebar item: the title, muted, unread count (or that
 * it is a request), the preview (or who types), the time.
 */
export function itemLabel(o: { title: string; muted: boolean; unread: number; request?: RequestMark | null; line: string; pending: boolean; failed: boolean; time: string }): string {
  const parts = [o.title];
  if (o.muted) parts.push('muted');
  if (o.request) parts.push(requestLabel(o.request));
  else if (o.unread > 0) parts.push(unreadLabel(o.unread));
  parts.push(o.failed ? `Not sent: ${o.line}` : o.pending ? `Sending: ${o.line}` : o.line);
  parts.push(o.time);
  return parts.join(', ');
}
