import type { Conversation, ConversationChange, Message, Receipt, User } from '../../shared/protocol';
import type { LocalConversation, LocalMessage, SearchHit, UserError } from '../../shared/ipc';

/**
 * The desktop engine's local database: one file per signed-in account. Every method is
 * synchronous (better-sqlite3) and each mutating method is one transaction, so a crash
 * leaves either all of a change or none of it.
 *
 * Invariants the engine relies on:
 * - A server message is stored once: applying the same (conversationId, seq) again is a no-op.
 * - `syncedSeq` of a conversation is the highest seq such that every seq from the oldest
 *   stored one up to it is present. It is the watermark sent in `sync`; a message that
 *   arrives after a gap is kept but does not move the watermark past the gap.
 * - Storing a server message whose (conversationId, clientId) matches an outbox entry
 *   removes that entry: the message was sent (e.g. acked on a connection that died).
 */
export interface OutboxItem {
  conversationId: string;
  clientId: string;
  body: string;
  createdAt: number;
}

export interface ApplyResult {
  /** Messages stored now (not seen before), grouped by conversation, oldest first. */
  inserted: Map<string, LocalMessage[]>;
  /** Conversations where a message arrived beyond a gap: the engine should sync again. */
  gaps: string[];
  /** Conversations whose row changed (lastSeq, unread, snapshot, members). */
  changed: string[];
}

export interface LocalStore {
  /** Key/value for the engine's own bookkeeping (e.g. schema-independent flags). */
  getMeta(key: string): string | null;
  setMeta(key: string, value: string | null): void;

  /** All conversations, most recent activity first. */
  listConversations(): LocalConversation[];
  getConversation(conversationId: string): LocalConversation | null;
  /** [conversationId, syncedSeq] for every conversation, for the `sync` request. */
  watermarks(): Array<[string, number]>;

  /**
   * Server snapshots of conversations (from sync batches, conversation.updated, RPC
   * results). Replaces title/members/lastSeq and my readSeq (never moving my readSeq or
   * lastSeq backwards); keeps local-only state (muted).
   */
  upsertConversations(conversations: Conversation[], myUserId: string): ApplyResult;
  /** A patch of a conversation we have (conversation.changed): title, members in or out, standing. */
  applyConversationChange(change: ConversationChange): ApplyResult;
  /** Deletes the conversation with its messages and outbox entries (removed from a group, left). */
  removeConversation(conversationId: string): void;
  setMuted(conversationId: string, muted: boolean): void;

  /** Stores server messages (live or from a history page); one transaction. */
  applyMessages(messages: Message[], myUserId: string): ApplyResult;
  /** One catch-up slice: conversations, removals and messages in one transaction. */
  applySyncBatch(batch: { conversations: Conversation[]; removed: string[]; messages: Message[] }, myUserId: string): ApplyResult & { removed: string[] };

  /** Member watermarks; returns whether anything changed. */
  applyReceipt(receipt: Receipt): boolean;
  /** Moves my readSeq forward (never back); returns whether it moved. */
  markReadLocal(conversationId: string, myUserId: string, seq: number): boolean;
  /** Sum of unread over conversations that are not muted. */
  unreadTotal(): number;

  /**
   * Oldest first. Without `beforeSeq`: the newest `limit` stored entries followed by the
   * conversation's outbox entries (pending and failed) in compose order.
   */
  page(conversationId: string, o: { beforeSeq?: number; limit: number }): LocalMessage[];
  /** Up to `limit` entries centred on `seq`, oldest first. */
  around(conversationId: string, seq: number, limit: number): LocalMessage[];
  /** The lowest seq stored for the conversation, or null if none. */
  oldestSeq(conversationId: string): number | null;

  /** Adds a message to the outbox (state pending) and returns it as the UI shows it. */
  enqueue(item: OutboxItem & { senderId: string }): LocalMessage;
  /** Entries still to send, in compose order (failed ones are not included). */
  pendingOutbox(): OutboxItem[];
  /** The server acked: the entry becomes a stored message. Null if it was already gone. */
  markSent(clientId: string, ack: { conversationId: string; seq: number; ts: number }, myUserId: string): LocalMessage | null;
  /** A permanent refusal: the entry stays, marked failed with the reason. */
  markFailed(clientId: string, error: UserError): LocalMessage | null;
  /** Failed → pending again, moved to the end of the queue. Null if no such entry. */
  retry(clientId: string): LocalMessage | null;
  /** Deletes a pending or failed entry; false if there was none. */
  deleteOutbox(clientId: string): boolean;
  outboxSummary(): { pending: number; failed: number };

  /** The account's block list, as last synced. */
  blockedUsers(): User[];
  /** Replaces it (after block.list). */
  setBlockedUsers(users: User[]): void;
  /** One change (block.changed, or this device's own block or unblock). */
  updateBlocked(user: User, blocked: boolean): void;

  /** Full-text search over stored text messages, newest first. */
  search(query: string, limit: number): SearchHit[];

  close(): void;
}
