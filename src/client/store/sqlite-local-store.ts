import type { LocalConversation, LocalMessage, SearchHit, UserError } from '../../shared/ipc';
import type { Conversation, ConversationChange, Message, Receipt, User } from '../../shared/protocol';
import { newAccumulator, toApplyResult } from './apply-result';
import { BlockedUsers } from './blocked';
import { Conversations } from './conversations';
import { durably, openDatabase, type Db } from './database';
import type { ApplyResult, LocalStore, OutboxItem } from './local-store';
import { MessageWriter } from './message-writer';
import { Meta } from './meta';
import { Outbox } from './outbox';
import { Search } from './search';
import { SearchKeys } from './search-keys';
import { Timeline } from './timeline';

/**
 * Opens the local store of one account (one SQLite file). `nativeBinding`: the path of a
 * better-sqlite3 build for the running ABI (Electron's main process passes one).
 * Design notes (schema, watermark rule, durability, search): README.md in this folder.
 */
export function openLocalStore(file: string, o: { nativeBinding?: string } = {}): LocalStore {
  return new SqliteLocalStore(file, o);
}

/**
 * The LocalStore on better-sqlite3. Every method is synchronous and every write one
 * transaction; the parts (conversations, writer, timeline, outbox, search) hold their
 * prepared statements and never open transactions themselves, so they compose here.
 */
export class SqliteLocalStore implements LocalStore {
  readonly db: Db;
  private readonly meta: Meta;
  private readonly conversations: Conversations;
  private readonly writer: MessageWriter;
  private readonly timeline: Timeline;
  private readonly outbox: Outbox;
  private readonly searcher: Search;
  private readonly blocked: BlockedUsers;
  /**
   * The account's user id, learnt from the calls that carry it (the file belongs to one
   * account). applyReceipt needs it to move my own read watermark when another of my
   * devices has read, and it has no parameter for it; every session applies a sync batch
   * before any receipt can arrive.
   */
  private me: string | null = null;

  constructor(file: string, o: { nativeBinding?: string } = {}) {
    this.db = openDatabase(file, o);
    this.meta = new Meta(this.db);
    this.conversations = new Conversations(this.db);
    this.writer = new MessageWriter(this.db, new SearchKeys(this.db), (id) => this.conversations.touch(id));
    this.timeline = new Timeline(this.db);
    this.outbox = new Outbox(this.db);
    this.searcher = new Search(this.db);
    this.blocked = new BlockedUsers(this.db);
  }

  getMeta(key: string): string | null {
    return this.meta.get(key);
  }

  setMeta(key: string, value: string | null): void {
    this.meta.set(key, value);
  }

  listConversations(): LocalConversation[] {
    return this.conversations.list();
  }

  getConversation(conversationId: string): LocalConversation | null {
    return this.conversations.get(conversationId);
  }

  watermarks(): Array<[string, number]> {
    return this.conversations.watermarks();
  }

  upsertConversations(conversations: Conversation[], myUserId: string): ApplyResult {
    this.me = myUserId;
    const acc = newAccumulator();
    this.db.transaction(() => this.conversations.upsert(conversations, myUserId, acc))();
    return toApplyResult(acc);
  }

  applyConversationChange(change: ConversationChange): ApplyResult {
    const acc = newAccumulator();
    this.db.transaction(() => this.conversations.patch(change, acc))();
    return toApplyResult(acc);
  }

  blockedUsers(): User[] {
    return this.blocked.list();
  }

  setBlockedUsers(users: User[]): void {
    this.db.transaction(() => this.blocked.replace(users))();
  }

  updateBlocked(user: User, blocked: boolean): void {
    if (blocked) this.blocked.add(user);
    else this.blocked.remove(user.id);
  }

  removeConversation(conversationId: string): void {
    this.conversations.remove(conversationId);
  }

  setMuted(conversationId: string, muted: boolean): void {
    this.conversations.setMuted(conversationId, muted);
  }

  applyMessages(messages: Message[], myUserId: string): ApplyResult {
    this.me = myUserId;
    const acc = newAccumulator();
    this.db.transaction(() => this.writer.apply(messages, myUserId, acc))();
    return toApplyResult(acc);
  }

  applySyncBatch(
    batch: { conversations: Conversation[]; removed: string[]; messages: Message[] },
    myUserId: string,
  ): ApplyResult & { removed: string[] } {
    this.me = myUserId;
    const acc = newAccumulator();
    const removed = this.db.transaction(() => {
      this.conversations.upsert(batch.conversations, myUserId, acc);
      const gone = batch.removed.filter((id) => this.conversations.remove(id));
      this.writer.apply(batch.messages, myUserId, acc);
      return gone;
    })();
    for (const id of removed) acc.changed.delete(id);
    return { ...toApplyResult(acc), removed };
  }

  applyReceipt(receipt: Receipt): boolean {
    return this.db.transaction(() => this.conversations.applyReceipt(receipt, this.me))();
  }

  markReadLocal(conversationId: string, myUserId: string, seq: number): boolean {
    this.me = myUserId;
    return this.conversations.markRead(conversationId, seq);
  }

  unreadTotal(): number {
    return this.conversations.unreadTotal();
  }

  page(conversationId: string, o: { beforeSeq?: number; limit: number }): LocalMessage[] {
    return this.timeline.page(conversationId, o);
  }

  around(conversationId: string, seq: number, limit: number): LocalMessage[] {
    return this.timeline.around(conversationId, seq, limit);
  }

  oldestSeq(conversationId: string): number | null {
    return this.timeline.oldestSeq(conversationId);
  }

  enqueue(item: OutboxItem & { senderId: string }): LocalMessage {
    // The one write the server cannot give back: survive power loss too (database.ts).
    return durably(this.db, () => {
      const message = this.outbox.enqueue(item);
      this.conversations.touch(item.conversationId);
      return message;
    });
  }

  pendingOutbox(): OutboxItem[] {
    return this.outbox.pending();
  }

  markSent(clientId: string, ack: { conversationId: string; seq: number; ts: number }, myUserId: string): LocalMessage | null {
    this.me = myUserId;
    return this.db.transaction(() => {
      const entry = this.outbox.get(clientId);
      if (!entry) return null; // its echo was stored first, or it was deleted
      const message: Message = {
        kind: 'text',
        conversationId: entry.conversation_id,
        seq: ack.seq,
        senderId: entry.sender_id,
        clientId,
        body: entry.body,
        ts: ack.ts,
      };
      this.writer.apply([message], myUserId, newAccumulator()); // removes the entry as an echo
      this.outbox.delete(clientId); // in case that seq was already stored
      this.conversations.touch(entry.conversation_id);
      return this.timeline.at(entry.conversation_id, ack.seq);
    })();
  }

  markFailed(clientId: string, error: UserError): LocalMessage | null {
    return this.outbox.markFailed(clientId, error);
  }

  retry(clientId: string): LocalMessage | null {
    return this.db.transaction(() => this.outbox.retry(clientId))();
  }

  deleteOutbox(clientId: string): boolean {
    return this.db.transaction(() => {
      const entry = this.outbox.get(clientId);
      if (!entry || !this.outbox.delete(clientId)) return false;
      this.conversations.touch(entry.conversation_id);
      return true;
    })();
  }

  outboxSummary(): { pending: number; failed: number } {
    return this.outbox.summary();
  }

  search(query: string, limit: number): SearchHit[] {
    return this.searcher.search(query, limit);
  }

  close(): void {
    if (!this.db.open) return;
    this.db.pragma('optimize');
    // Fold the WAL back into the file, so a copy of the single file is complete after a clean stop.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
