import type { Conversation, Message, Receipt, SessionInfo, User } from '../../shared/protocol';

/**
 * The server's one source of truth: accounts, sessions, conversations, membership,
 * messages, receipts. Nothing outside a Store keeps sequence numbers or membership in
 * memory as truth, so a second implementation (PostgreSQL) can replace the embedded
 * SQLite one without touching the rest. Every implementation passes test/store-contract.
 *
 * Methods are async because a networked store is; the SQLite one answers synchronously.
 * Authorisation lives here too where it must be atomic with the write (membership is
 * checked in the same transaction that assigns a seq).
 */
export interface Store {
  // accounts
  createUser(input: NewUser): Promise<User | 'username_taken'>;
  findUserForLogin(username: string): Promise<{ user: User; passwordHash: string; disabled: boolean } | null>;
  searchUsers(prefix: string, limit: number): Promise<User[]>;
  setPassword(userId: string, passwordHash: string): Promise<boolean>;

  // sessions (one per device)
  createSession(input: NewSession): Promise<void>;
  /** A live (not revoked) session, for authenticating a token. */
  getLiveSession(sessionId: string): Promise<LiveSession | null>;
  /** Rotates the refresh token; a spent token revokes its session. */
  rotateRefreshToken(presentedHash: string, nextHash: string, now: number): Promise<RotateResult>;
  listSessions(userId: string): Promise<Omit<SessionInfo, 'current'>[]>;
  /** Revokes `sessionId` if it belongs to `userId`; false if there was no such live session. */
  revokeSession(userId: string, sessionId: string, now: number): Promise<boolean>;
  revokeAllSessions(userId: string, now: number): Promise<string[]>;
  touchSession(sessionId: string, now: number): Promise<void>;
  /** When each user was last connected (latest over their sessions); absent = never. */
  lastSeenAt(userIds: readonly string[]): Promise<Map<string, number>>;

  // conversations and membership
  openDirect(userId: string, otherId: string, now: number): Promise<MembershipChange | Refusal | 'user_not_found'>;
  createGroup(ownerId: string, title: string, memberIds: readonly string[], now: number): Promise<MembershipChange | Refusal | 'user_not_found'>;
  rename(actorId: string, conversationId: string, title: string, now: number): Promise<MembershipChange | Refusal>;
  addMembers(actorId: string, conversationId: string, userIds: readonly string[], now: number): Promise<MembershipChange | Refusal | 'user_not_found'>;
  removeMember(actorId: string, conversationId: string, userId: string, now: number): Promise<MembershipChange | Refusal>;
  leave(userId: string, conversationId: string, now: number): Promise<MembershipChange | Refusal>;
  /** The conversation as `viewerId` sees it, or null if they are not a member (or it does not exist). */
  getConversation(viewerId: string, conversationId: string): Promise<Conversation | null>;
  listConversations(viewerId: string): Promise<Conversation[]>;
  /** [conversationId, lastSeq] of every conversation the user is in. */
  listMemberships(userId: string): Promise<Array<[string, number]>>;
  memberIds(conversationId: string): Promise<string[]>;
  /** Everyone who shares at least one conversation with the user (excluding the user). */
  contactsOf(userId: string): Promise<string[]>;

  // messages
  /** Appends many messages in one durable transaction; results in input order. */
  appendMessages(batch: readonly AppendRequest[]): Promise<AppendResult[]>;
  /** Up to `limit` entries with seq < beforeSeq, newest first; null if the viewer is not a member. */
  historyBefore(viewerId: string, conversationId: string, beforeSeq: number, limit: number): Promise<Message[] | null>;
  /** Entries with seq > afterSeq, oldest first, at most `limit` (no membership check: callers did it). */
  messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<Message[]>;

  // receipts
  /** Advances watermarks (never backwards, never past lastSeq). Results in input order; null = not a member. */
  markReceipts(batch: readonly ReceiptRequest[]): Promise<Array<ReceiptChange | null>>;

  close(): Promise<void>;
}

export interface NewUser {
  id: string;
  username: string;
  displayName: string | null;
  passwordHash: string;
  now: number;
}
export interface NewSession {
  id: string;
  userId: string;
  deviceName: string;
  refreshHash: string;
  now: number;
}
export interface LiveSession {
  id: string;
  userId: string;
}
export type RotateResult =
  | { ok: true; sessionId: string; userId: string }
  | { ok: false; reason: 'unknown' | 'reused' | 'revoked'; sessionId: string | null };

export type Refusal = 'not_found' | 'not_allowed' | 'invalid_request' | 'limit_reached';

/**
 * The outcome of a change to a conversation: the system message it appended (if any),
 * who is in it now, and who was just removed. The caller fans these out.
 */
export interface MembershipChange {
  conversationId: string;
  message: Message | null;
  memberIds: string[];
  removedIds: string[];
  /** True when openDirect found an existing conversation and nothing changed. */
  existing: boolean;
}

export interface AppendRequest {
  senderId: string;
  conversationId: string;
  clientId: string;
  body: string;
  now: number;
}
export type AppendResult =
  | { ok: true; message: Message; duplicate: boolean; memberIds: string[] }
  | { ok: false; code: 'not_found' | 'conflict' };

export interface ReceiptChange {
  receipt: Receipt;
  /** False when the watermarks were already there (nothing to tell anyone). */
  changed: boolean;
}

export interface ReceiptRequest {
  conversationId: string;
  userId: string;
  kind: 'delivered' | 'read';
  seq: number;
}
