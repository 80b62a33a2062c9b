import type { Conversation, Message, RequestFrame, ResultData } from '../../../shared/protocol';
import type { Connection } from '../connection';
import type { RealtimeContext } from '../context';

/** Catch-up slices: small enough to apply in one client transaction and to keep memory flat. */
const CONVERSATIONS_PER_BATCH = 25;
const MESSAGES_PER_BATCH = 100;
const BYTES_PER_BATCH = 64 * 1024;
/** Pause sending while this much is still unsent to the client. */
const FLOW_CONTROL_BYTES = 256 * 1024;

/**
 * Catch-up. The client lists what it has ([conversationId, seq] per conversation); the
 * server answers with `sync.batch` frames (conversation snapshots, removals, then every
 * missed entry per conversation in seq order), then the `result` that marks "caught up".
 *
 * Live events that arrive meanwhile are held by the connection and released after the
 * result, minus messages the catch-up already carried: no gap (the socket was subscribed
 * before reading) and no duplicate (skipped by seq).
 */
export async function sync(ctx: RealtimeContext, conn: Connection, frame: RequestFrame<'sync'>): Promise<ResultData<'sync'>> {
  conn.beginSync();
  const known = new Map(frame.watermarks);
  const memberships = await ctx.store.listMemberships(conn.userId);
  const mine = new Set(memberships.map(([id]) => id));
  const removed = [...known.keys()].filter((id) => !mine.has(id));
  const out = new BatchWriter(conn, frame.id);

  out.removed(removed);
  for (const [id] of memberships) {
    const conversation = await ctx.store.getConversation(conn.userId, id);
    if (conversation) await out.conversation(conversation);
  }
  let messageCount = 0;
  for (const [id, lastSeq] of memberships) {
    const have = known.get(id);
    let after = have ?? (frame.backlog === undefined ? 0 : Math.max(0, lastSeq - frame.backlog));
    conn.noteSynced(id, after);
    for (;;) {
      const page = await ctx.store.messagesAfter(id, after, MESSAGES_PER_BATCH);
      for (const message of page) await out.message(message);
      messageCount += page.length;
      const last = page[page.length - 1];
      if (!last) break;
      after = last.seq;
      conn.noteSynced(id, after);
      if (page.length < MESSAGES_PER_BATCH) break;
    }
  }
  await out.flush();
  const contacts = await ctx.store.contactsOf(conn.userId);
  return {
    conversations: memberships.length,
    messages: messageCount,
    removed: removed.length,
    presence: await ctx.presence.snapshot(contacts),
    serverTime: ctx.now(),
  };
}

class BatchWriter {
  private conversations: Conversation[] = [];
  private messages: Message[] = [];
  private removedIds: string[] = [];
  private bytes = 0;

  constructor(
    private readonly conn: Connection,
    private readonly id: string,
  ) {}

  removed(ids: string[]): void {
    this.removedIds = ids;
  }

  async conversation(c: Conversation): Promise<void> {
    this.conversations.push(c);
    this.bytes += 300 + c.members.length * 120;
    if (this.conversations.length >= CONVERSATIONS_PER_BATCH || this.bytes >= BYTES_PER_BATCH) await this.flush();
  }

  async message(m: Message): Promise<void> {
    this.messages.push(m);
    this.bytes += 200 + (m.kind === 'text' ? m.body.length * 3 : 200);
    if (this.messages.length >= MESSAGES_PER_BATCH || this.bytes >= BYTES_PER_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.conversations.length + this.messages.length + this.removedIds.length === 0) return;
    this.conn.send({ type: 'sync.batch', id: this.id, conversations: this.conversations, removed: this.removedIds, messages: this.messages });
    this.conversations = [];
    this.messages = [];
    this.removedIds = [];
    this.bytes = 0;
    await this.conn.drained(FLOW_CONTROL_BYTES);
  }
}
