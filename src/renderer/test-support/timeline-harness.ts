import type { LocalConversation, LocalMessage } from '../state/types';
import type { FakeCourier } from './fake-courier';
import { ME, conversation, member, message } from './fixtures';

/**
 * A conversation of `count` stored entries (seq 1..count, from `u_other` unless `sender`
 * says otherwise) served by a FakeCourier the way main does: `messages.page` newest-first
 * pages oldest-first plus the outbox, `messages.around` a window centred on a seq.
 */
export class FakeHistory {
  readonly stored: LocalMessage[] = [];
  outbox: LocalMessage[] = [];
  conversation: LocalConversation;

  constructor(
    private readonly fake: FakeCourier,
    readonly conversationId: string,
    count: number,
    o: { sender?: (seq: number) => string; readSeq?: number; members?: LocalConversation['members'] } = {},
  ) {
    for (let seq = 1; seq <= count; seq++) this.stored.push(message(conversationId, seq, { senderId: o.sender?.(seq) ?? 'u_other' }));
    const readSeq = o.readSeq ?? count;
    this.conversation = conversation(conversationId, {
      lastSeq: count,
      readSeq,
      unread: count - readSeq,
      members: o.members ?? [member(ME), member('u_other')],
    });
    fake.handle('messages.page', ({ beforeSeq, limit }) => {
      const older = this.stored.filter((m) => m.seq !== null && (beforeSeq === undefined || m.seq < beforeSeq));
      const page = older.slice(Math.max(0, older.length - limit));
      const first = page[0]?.seq ?? beforeSeq ?? 1;
      return { messages: beforeSeq === undefined ? [...page, ...this.outbox] : page, hasMore: first > 1 };
    });
    fake.handle('messages.around', ({ seq, limit }) => {
      const half = Math.floor(limit / 2);
      const index = this.stored.findIndex((m) => (m.seq ?? 0) >= seq);
      const at = index === -1 ? this.stored.length : index;
      const start = Math.max(0, Math.min(at - half, this.stored.length - limit));
      const messages = this.stored.slice(start, start + limit);
      return { messages, hasMore: (messages[0]?.seq ?? 1) > 1 };
    });
  }

  /** Stores a new entry from someone else and returns it (emit it yourself). */
  add(over: Partial<LocalMessage> = {}): LocalMessage {
    const seq = this.stored.length + 1;
    const m = message(this.conversationId, seq, over);
    this.stored.push(m);
    this.conversation = { ...this.conversation, lastSeq: seq };
    return m;
  }

  source(): { get(id: string): LocalConversation | undefined } {
    return { get: (id) => (id === this.conversationId ? this.conversation : undefined) };
  }
}
