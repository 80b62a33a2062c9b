import { z } from 'zod';
import {
  ConversationIdSchema,
  MemberSchema,
  PresenceSchema,
  SeqSchema,
  SystemEventSchema,
  TimestampSchema,
  UserIdSchema,
} from '../protocol';

/**
 * What the desktop engine (src/client) keeps locally and hands to the renderer. These are
 * the app's view of the protocol's entities: a message may not have a `seq` yet (written
 * offline, waiting in the outbox), and a conversation carries local-only state (muted).
 */

/** An error the user can act on: a stable code and a sentence. */
export const UserErrorSchema = z.object({ code: z.string(), message: z.string() });
export type UserError = z.infer<typeof UserErrorSchema>;

/**
 * `pending`: stored locally, not yet acknowledged by the server (shown with a clock).
 * `sent`: the server stored it and gave it a seq. Delivered/read are derived from the
 * conversation's member watermarks (`deliveredSeq`/`readSeq` ≥ seq), not stored per message.
 * `failed`: the server refused it for good (see `error`); the user may retry or delete it.
 */
export const MessageStateSchema = z.enum(['pending', 'sent', 'failed']);
export type MessageState = z.infer<typeof MessageStateSchema>;

export const LocalMessageSchema = z.object({
  conversationId: ConversationIdSchema,
  /** Null while in the outbox. */
  seq: SeqSchema.nullable(),
  /** The sender's idempotency key; null for system entries. Stable from compose to ack. */
  clientId: z.string().nullable(),
  senderId: UserIdSchema,
  kind: z.enum(['text', 'system']),
  /** Text messages only. Always plain text: never interpret it as HTML or markdown. */
  body: z.string().nullable(),
  /** System entries only. */
  system: SystemEventSchema.nullable(),
  /** Server time once sent; local compose time while pending. */
  ts: TimestampSchema,
  state: MessageStateSchema,
  error: UserErrorSchema.nullable(),
});
export type LocalMessage = z.infer<typeof LocalMessageSchema>;

export const LocalConversationSchema = z.object({
  id: ConversationIdSchema,
  kind: z.enum(['direct', 'group']),
  title: z.string().nullable(),
  createdAt: TimestampSchema,
  /** Highest seq the server has assigned that we know of. */
  lastSeq: SeqSchema,
  /** The newest entry, including a pending one written offline. */
  lastMessage: LocalMessageSchema.nullable(),
  /** For ordering the sidebar: the newest entry's time, or createdAt. */
  lastActivityAt: TimestampSchema,
  /** Entries after my readSeq. */
  unread: z.number().int().min(0),
  /** My own read watermark. */
  readSeq: SeqSchema,
  muted: z.boolean(),
  members: z.array(MemberSchema),
});
export type LocalConversation = z.infer<typeof LocalConversationSchema>;

export const AccountSchema = z.object({
  serverUrl: z.string(),
  userId: UserIdSchema,
  username: z.string(),
  displayName: z.string().nullable(),
  sessionId: z.string(),
});
export type Account = z.infer<typeof AccountSchema>;

/**
 * The connection as the UI shows it. `signedOut`: no account, or the server rejected our
 * credentials (then `error` says why) — the engine does not retry until the user signs in.
 * `offline`: waiting to retry (`nextRetryAt`) or for the network to come back.
 */
export const ConnectionStatusSchema = z.enum(['signedOut', 'offline', 'connecting', 'authenticating', 'catchingUp', 'online']);
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;
export const ConnectionStateSchema = z.object({
  status: ConnectionStatusSchema,
  /** Failed attempts since the last healthy connection. */
  attempt: z.number().int().min(0),
  nextRetryAt: TimestampSchema.nullable(),
  error: UserErrorSchema.nullable(),
});
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

export { HIGHLIGHT_END, HIGHLIGHT_START } from './search-highlight';
export const SearchHitSchema = z.object({
  message: LocalMessageSchema,
  /** Plain text with matches between HIGHLIGHT_START and HIGHLIGHT_END. */
  snippet: z.string(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const OutboxSummarySchema = z.object({ pending: z.number().int().min(0), failed: z.number().int().min(0) });
export type OutboxSummary = z.infer<typeof OutboxSummarySchema>;

/** A page of a conversation's timeline, oldest first. */
export const MessagePageSchema = z.object({
  messages: z.array(LocalMessageSchema),
  /** Whether older entries exist (locally or on the server). */
  hasMore: z.boolean(),
});
export type MessagePage = z.infer<typeof MessagePageSchema>;

export const TypingSchema = z.object({
  conversationId: ConversationIdSchema,
  userId: UserIdSchema,
  typing: z.boolean(),
  ttlMs: z.number().int(),
});
export type Typing = z.infer<typeof TypingSchema>;

export { PresenceSchema };
