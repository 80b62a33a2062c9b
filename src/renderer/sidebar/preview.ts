import { memberName, nameOf, systemText, typingText } from '../format/names';
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

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** The last entry as the sidebar shows it: "You: …" for mine, "Ann: …" in groups, a sentence for system entries. */
export function previewOf(c: LocalConversation, myUserId: string | null): Preview {
  const m = c.lastMessage;
  if (!m) return { text: 'No messages yet', pending: false, failed: false };
  const pending = m.state === 'pending';
  const failed = m.state === 'failed';
  if (m.kind === 'system' && m.system) {
    const actor = nameOf(c, m.senderId, myUserId);
    return { text: singleLine(systemText(m.system, actor, (id) => nameOf(c, id, myUserId))), pending, failed };
  }
  const body = singleLine(m.body ?? '');
  if (m.senderId === myUserId) return { text: `You: ${body}`, pending, failed };
  if (c.kind === 'group') {
    const sender = c.members.find((x) => x.userId === m.senderId);
    return { text: `${sender ? firstName(memberName(sender)) : 'Someone'}: ${body}`, pending, failed };
  }
  return { text: body, pending, failed };
}

/** "typing…" in a direct chat, "Ann is typing…" in a group; null when nobody (but me) types. */
export function typingHint(c: LocalConversation, typingUserIds: readonly string[] | undefined, myUserId: string | null): string | null {
  const others = (typingUserIds ?? []).filter((u) => u !== myUserId);
  if (others.length === 0) return null;
  if (c.kind === 'direct') return 'typing…';
  return typingText(others.map((u) => firstName(nameOf(c, u, myUserId))));
}

export function unreadLabel(n: number): string {
  return n === 1 ? '1 unread message' : `${n} unread messages`;
}

/** What a screen reader hears for a sidebar item: the title, muted, unread count, the preview (or who types), the time. */
export function itemLabel(o: { title: string; muted: boolean; unread: number; line: string; pending: boolean; failed: boolean; time: string }): string {
  const parts = [o.title];
  if (o.muted) parts.push('muted');
  if (o.unread > 0) parts.push(unreadLabel(o.unread));
  parts.push(o.failed ? `Not sent: ${o.line}` : o.pending ? `Sending: ${o.line}` : o.line);
  parts.push(o.time);
  return parts.join(', ');
}
