import type { Conversation, Message, RequestFrame, ResultData } from '../../../shared/protocol';
import type { Connection } from '../connection';
import type { RealtimeContext } from '../context';

/** Catch-up slices: small enough to apply in one client transaction and to keep memory flat. */
const CONVERSATIONS_PER_BATCH = 25;
const MESSAGES_PER_BATCH = 100;
const BYTES_PER_BATCH = 64 * 1024;

/**
 * Catch-up. The client lists what it has ([conversationId, seq] per conversation); the
 * server answers with `sync.batch` frames (conversation snapshots, removals, then every
 * missed entry per conversation in seq order), then the `result` that marks "caught up".
 *
 * Live events that arrive meanwhile are held by the connection and released after the
 * result, minus messages the catch-up already carried: no gap (the socket was subscribed
 * before reading) and no duplicate (skipped by seq).
 *
 * Flow control: after each batch the catch-up waits until what is unsent to the client
 * is under the connection's pause threshold, so a client that reads slowly slows the
 * catch-up down instead of piling megabytes into the server's buffers.
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
  const contacts = await ctx.store.presenceVisibleTo(conn.userId);
  return {
    conversations: memberships.length,
    messages: messageCount,
    removed: removed.length,
    presence: await ctx.presence.snapshot(contacts, conn.userId),
    serverTime: ctx.now(),
  };
}

/**
 * Builds `sync.batch` frames from entries serialised once, so a batch's size is known
 * exactly: at most BYTES_PER_BATCH of JSON (less on a server with a small send buffer),
 * unless one entry alone is larger, which then gets a batch of its own.
 */
class BatchWriter {
  private conversations: string[] = [];
  private messages: string[] = [];
  private removedIds: string[] = [];
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(
    private readonly conn: Connection,
    private readonly id: string,
  ) {
    this.maxBytes = Math.min(BYTES_PER_BATCH, Math.floor(conn.maxBufferedBytes / 4));
  }

  removed(ids: string[]): void {
    this.removedIds = ids;
  }

  async conversation(c: Conversation): Promise<void> {
    const json = JSON.stringify(c);
    await this.makeRoom(json);
    this.conversations.push(json);
    if (this.conversations.length >= CONVERSATIONS_PER_BATCH) await this.flush();
  }

  async message(m: Message): Promise<void> {
    const json = JSON.stringify(m);
    await this.makeRoom(json);
    this.messages.push(json);
    if (this.messages.length >= MESSAGES_PER_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.conversations.length + this.messages.length + this.removedIds.length === 0) return;
    // The same shape JSON.stringify gives a SyncBatchFrame, field for field.
    this.conn.send(
      `{"type":"sync.batch","id":${JSON.stringify(this.id)},"conversations":[${this.conversations.join(',')}],` +
        `"removed":${JSON.stringify(this.removedIds)},"messages":[${this.messages.join(',')}]}`,
    );
    this.conversations = [];
    this.messages = [];
    this.removedIds = [];
    this.bytes = 0;
    await this.conn.drained(this.conn.pauseBytes);
  }

  /** Sends the batch first if `json` would take it over the byte budget, then counts `json` in. */
  private async makeRoom(json: string): Promise<void> {
    const size = Buffer.byteLength(json) + 1;
    if (this.bytes > 0 && this.bytes + size > this.maxBytes) await this.flush();
    this.bytes += size;
  }
}
