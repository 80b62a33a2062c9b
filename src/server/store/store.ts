import type { Conversation, Member, Message, Privacy, Receipt, SessionInfo, User } from '../../shared/protocol';
import type { ConversationSnapshot } from '../conversation-view';

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
  /**
   * Users whose username starts with `prefix` (or equals it when `exact`), people who share
   * a conversation with the viewer first, then by username; never users who blocked the viewer.
   */
  searchUsers(viewerId: string, prefix: string, limit: number, exact: boolean): Promise<User[]>;
  setPassword(userId: string, passwordHash: string): Promise<boolean>;

  // sessions (one per device)
  createSession(input: NewSession): Promise<void>;
  /** A live (not revoked) session, for authenticating a token. */
  getLiveSession(sessionId: string): Promise<LiveSession | null>;
  /**
   * Rotates the refresh token. A spent token revokes its session, except within
   * `replayWindowMs` of its exchange while its successor (`nextHash`, derived from it) is
   * still unused: then the same exchange is answered again (`issuedAt` of the first).
   */
  rotateRefreshToken(presentedHash: string, nextHash: string, now: number, replayWindowMs: number): Promise<RotateResult>;
  listSessions(userId: string): Promise<Omit<SessionInfo, 'current'>[]>;
  /** Revokes `sessionId` if it belongs to `userId`; false if there was no such live session. */
  revokeSession(userId: string, sessionId: string, now: number): Promise<boolean>;
  revokeAllSessions(userId: string, now: number): Promise<string[]>;
  touchSession(sessionId: string, now: number): Promise<void>;
  /**
   * Sessions revoked after `cursor` (by anyone: this server, another node, the admin CLI),
   * oldest first, with the cursor to ask from next. A null cursor answers the current end.
   */
  revocationsAfter(cursor: number | null): Promise<{ cursor: number; sessionIds: string[] }>;
  /** Forgets revocations logged before `before` (they have been read long since). */
  pruneRevocations(before: number): Promise<void>;
  /** Disables (signing out every session, returned) or enables an account; null if no such user. */
  setDisabled(userId: string, disabled: boolean, now: number): Promise<string[] | null>;
  /** When each user was last connected (latest over their sessions); absent = never. */
  lastSeenAt(userIds: readonly string[]): Promise<Map<string, number>>;

  // conversations and membership (consent: someone put in by a user they have no
  // accepted conversation with joins `pending`, as a request or an invitation)
  openDirect(userId: string, otherId: string, now: number): Promise<MembershipChange | Refusal | 'user_not_found'>;
  /** Whether the direct chat between the two exists (whoever is still in it). */
  hasDirect(userId: string, otherId: string): Promise<boolean>;
  createGroup(ownerId: string, title: string, memberIds: readonly string[], now: number): Promise<MembershipChange | Refusal | 'user_not_found'>;
  rename(actorId: string, conversationId: string, title: string, now: number): Promise<MembershipChange | Refusal>;
  addMembers(actorId: string, conversationId: string, userIds: readonly string[], now: number): Promise<MembershipChange | Refusal | 'user_not_found'>;
  removeMember(actorId: string, conversationId: string, userId: string, now: number): Promise<MembershipChange | Refusal>;
  leave(userId: string, conversationId: string, now: number): Promise<MembershipChange | Refusal>;
  /** A pending member accepts; `existing` when they already had. */
  accept(userId: string, conversationId: string): Promise<MembershipChange | Refusal>;
  /** A pending member declines and is out (a DM's requester cannot ask again; a group's members may invite again). */
  decline(userId: string, conversationId: string, now: number): Promise<MembershipChange | Refusal>;
  /** The conversation as `viewerId` sees it, or null if they are not a member (or it does not exist). */
  getConversation(viewerId: string, conversationId: string): Promise<Conversation | null>;
  /** Everything stored about a conversation, for building each member's view; null if it does not exist. */
  conversationSnapshot(conversationId: string): Promise<ConversationSnapshot | null>;
  listConversations(viewerId: string): Promise<Conversation[]>;
  /** [conversationId, lastSeq] of every conversation the user is in (requests included). */
  listMemberships(userId: string): Promise<Array<[string, number]>>;
  memberIds(conversationId: string): Promise<string[]>;
  /** Every member with their state (none if the conversation does not exist). */
  memberStates(conversationId: string): Promise<Array<{ userId: string; state: Member['state'] }>>;
  /** Everyone who shares at least one conversation with the user (excluding the user). */
  contactsOf(userId: string): Promise<string[]>;

  // blocks and privacy
  /** Blocks `blockedId`, and declines every request `blockedId` sent the user (returned, to announce). */
  block(userId: string, blockedId: string, now: number): Promise<MembershipChange[] | 'limit_reached' | 'user_not_found'>;
  unblock(userId: string, blockedId: string): Promise<boolean>;
  listBlocked(userId: string): Promise<User[]>;
  /** Users `userId` blocked, and users who blocked `userId`. */
  blocksOf(userId: string): Promise<{ blocked: string[]; blockedBy: string[] }>;
  /** Who is told about `userId`'s presence: co-members of conversations they accepted, minus whom they blocked. */
  presenceAudience(userId: string): Promise<string[]>;
  /** Whose presence `viewerId` may see (the converse rule). */
  presenceVisibleTo(viewerId: string): Promise<string[]>;
  getPrivacy(userId: string): Promise<Privacy | null>;
  setPrivacy(userId: string, patch: Partial<Privacy>): Promise<Privacy | null>;
  /** The users among `userIds` who show their last seen to nobody. */
  hidingLastSeen(userIds: readonly string[]): Promise<Set<string>>;

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

  /** Resolves once the store can take requests (threads started, connections open). */
  ready(): Promise<void>;
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
  | { ok: true; sessionId: string; userId: string; issuedAt: number }
  | { ok: false; reason: 'unknown' | 'reused' | 'revoked'; sessionId: string | null };

/** Why a change was refused; errors.ts turns each into an error code and a message a user can act on. */
export type Refusal =
  | 'not_found'
  | 'not_allowed'
  | 'invalid_request'
  | 'limit_reached'
  /** The other user blocked the actor. */
  | 'blocked'
  /** The actor blocked the other user. */
  | 'actor_blocked'
  /** The other user has MAX_PENDING_REQUESTS unanswered requests. */
  | 'requests_full'
  /** Only the owner may add back someone the owner removed. */
  | 'removed_by_owner'
  /** The actor has not accepted this conversation yet. */
  | 'accept_first';

/**
 * The outcome of a change to a conversation: the system message it appended (if any),
 * who is in it now, who just got in or out, whose standing changed. The caller fans these
 * out: new members get the whole snapshot, the others a patch the size of the change.
 */
export interface MembershipChange {
  conversationId: string;
  message: Message | null;
  /** Every member after the change, requests included. */
  memberIds: string[];
  /** Members who got in with this change. */
  joinedIds: string[];
  removedIds: string[];
  /** Members whose role or state changed (an heir, an acceptance). */
  changedIds: string[];
  /** Set when the title changed. */
  title?: string;
  /** True when nothing changed (an existing direct chat, an add of members already in…). */
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
  | {
      ok: true;
      message: Message;
      duplicate: boolean;
      memberIds: string[];
      /** The sender was pending: sending accepted the request (announce it like conversation.accept). */
      accepted: boolean;
    }
  | { ok: false; code: 'not_found' | 'conflict' | 'limit_reached' };

export interface ReceiptChange {
  receipt: Receipt;
  /** False when the watermarks were already there (nothing to tell anyone). */
  changed: boolean;
  /** False while the marker's membership is pending: a request shares no receipts. */
  shared: boolean;
}

export interface ReceiptRequest {
  conversationId: string;
  userId: string;
  kind: 'delivered' | 'read';
  seq: number;
}
