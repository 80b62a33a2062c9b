import { dayKey } from '../format/time';
import type { LocalConversation, LocalMessage } from '../state/types';

/** Text messages from one sender closer together than this form one group. */
export const GROUP_GAP_MS = 5 * 60_000;

/** One list row: a message and what is drawn around it. */
export interface TimelineRow {
  /** Stable from compose to ack (clientId), else the seq. */
  key: string;
  message: LocalMessage;
  own: boolean;
  /** A day separator goes before this message (the first of its day in the window). */
  dayStart: boolean;
  /** The "New messages" divider goes before this message. */
  unreadStart: boolean;
  /** The first message of a group: others' groups show the sender's name and avatar here. */
  groupStart: boolean;
  /** A text message from someone the user blocked: shown as one muted line, without its text. */
  blocked: boolean;
}

export interface RowOptions {
  myUserId: string | null;
  unreadSeq: number | null;
  /**
   * The first message is context only (older ones exist but are not loaded): it is not a
   * row, but decides how the next message renders, so loading the page before it never
   * changes a row already on screen.
   */
  skipFirst: boolean;
  /** People the user blocked: their text messages are hidden. */
  blocked?: ReadonlySet<string>;
}

export function rowKey(m: LocalMessage): string {
  return m.clientId !== null ? `c:${m.clientId}` : `s:${m.seq ?? ''}`;
}

/** The rows for a window of messages (oldest first). Pure; O(n). */
export function buildRows(messages: readonly LocalMessage[], o: RowOptions): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let previous: LocalMessage | undefined;
  let previousDay: string | undefined;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (message === undefined) continue;
    const day = dayKey(message.ts);
    const hidden = isHidden(message, o);
    if (i > 0 || !o.skipFirst) {
      const dayStart = day !== previousDay;
      const unreadStart = o.unreadSeq !== null && message.seq === o.unreadSeq;
      const continues =
        previous !== undefined &&
        !dayStart &&
        !unreadStart &&
        previous.kind === 'text' &&
        message.kind === 'text' &&
        !hidden &&
        !isHidden(previous, o) &&
        previous.senderId === message.senderId &&
        message.ts - previous.ts < GROUP_GAP_MS;
      rows.push({ key: rowKey(message), message, own: message.senderId === o.myUserId, dayStart, unreadStart, groupStart: !continues, blocked: hidden });
    }
    previous = message;
    previousDay = day;
  }
  return rows;
}

function isHidden(m: LocalMessage, o: RowOptions): boolean {
  return m.kind === 'text' && m.senderId !== o.myUserId && o.blocked !== undefined && o.blocked.has(m.senderId);
}

/** What the state icon of a message says. */
export type OwnState = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

/**
 * The state of one of my messages: delivered once every other member has stored it,
 * read once every other member has seen it. Null for others' messages and system entries.
 */
export function ownState(message: LocalMessage, conversation: LocalConversation | undefined, myUserId: string | null): OwnState | null {
  if (message.kind !== 'text' || message.senderId !== myUserId) return null;
  if (message.state !== 'sent' || message.seq === null) return message.state;
  const seq = message.seq;
  const others = conversation?.members.filter((m) => m.userId !== myUserId) ?? [];
  if (others.length === 0) return 'sent';
  if (others.every((m) => m.readSeq >= seq)) return 'read';
  if (others.every((m) => m.deliveredSeq >= seq)) return 'delivered';
  return 'sent';
}
