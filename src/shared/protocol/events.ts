import { z } from 'zod';
import { ERROR_CODES } from './codes';
import { ConversationIdSchema, RequestIdSchema, SeqSchema, TimestampSchema, UserIdSchema } from './primitives';
import { ConversationSchema, MemberInfoSchema, MessageSchema, PresenceSchema, PrivacySchema, ReceiptSchema } from './entities';

/** Sent once the connection is authenticated. Nothing else arrives before it. */
export const ReadyFrameSchema = z.object({
  type: z.literal('ready'),
  userId: UserIdSchema,
  sessionId: z.string(),
  serverTime: TimestampSchema,
  heartbeatMs: z.number().int(),
  /** When the access token this socket proved itself with expires: renew it before (`session.renew`) or the socket closes with 4002. Absent from older servers. */
  tokenExpiresAt: TimestampSchema.optional(),
  limits: z.object({
    maxFrameBytes: z.number().int(),
    maxBodyBytes: z.number().int(),
    maxPageSize: z.number().int(),
    // The budgets the server enforces (docs/protocol.md §14). Optional: servers before them sent none.
    /** Request frames per second on this socket, every type counted, and the burst above it. */
    framesPerSec: z.number().optional(),
    frameBurst: z.number().int().optional(),
    /** `message.send` per second per account, all its devices together, and the burst. */
    messagesPerSec: z.number().optional(),
    messageBurst: z.number().int().optional(),
    /** `typing.set` and `presence.set` together per second on this socket, and the burst. */
    noticesPerSec: z.number().optional(),
    noticeBurst: z.number().int().optional(),
    /** More rejected frames than this within `rejectionWindowMs` close the socket with 1008. */
    maxRejections: z.number().int().optional(),
    rejectionWindowMs: z.number().int().optional(),
    /** Open sockets one account may have; the next is closed with 1008. */
    maxSocketsPerUser: z.number().int().optional(),
    /** The account's and conversations' budgets over time (docs/protocol.md §14). Optional: older servers sent none. */
    budgets: z
      .object({
        groupsPerHour: z.number(),
        membersAddedPerHour: z.number(),
        directsPerHour: z.number(),
        conversationChangesPerMinute: z.number(),
        readsPerSec: z.number(),
        readBurst: z.number(),
        readBytesPerSec: z.number(),
        readBytesBurst: z.number(),
        searchesPerMinute: z.number(),
      })
      .optional(),
  }),
});

export const ResultFrameSchema = z.object({ type: z.literal('result'), id: RequestIdSchema, data: z.unknown() });

export const ErrorFrameSchema = z.object({
  type: z.literal('error'),
  /** The request this answers, when it had an id. */
  id: RequestIdSchema.nullable(),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** With rate_limited and unavailable: when trying again may succeed. */
  retryAfterMs: z.number().int().optional(),
});

/** One bounded slice of a catch-up, answering the `sync` request `id`. */
export const SyncBatchFrameSchema = z.object({
  type: z.literal('sync.batch'),
  id: RequestIdSchema,
  conversations: z.array(ConversationSchema),
  /** Conversations from your watermarks that you are no longer in (or that do not exist). */
  removed: z.array(ConversationIdSchema),
  /** Per conversation in seq order, no gaps after your watermark. */
  messages: z.array(MessageSchema),
});

export const MessageNewFrameSchema = z.object({ type: z.literal('message.new'), message: MessageSchema });
export const ConversationUpdatedFrameSchema = z.object({
  type: z.literal('conversation.updated'),
  conversation: ConversationSchema,
});
/**
 * What changed in a conversation you were already in, as a patch of its snapshot: one
 * frame for every member (its size grows with what changed, not with the group). Apply
 * `title` if present, upsert `members` by userId (keep the receipts you know; a new member
 * starts at 0), drop `removed`, and raise lastSeq. New members get `conversation.updated`.
 */
export const ConversationChangedFrameSchema = z.object({
  type: z.literal('conversation.changed'),
  conversationId: ConversationIdSchema,
  lastSeq: SeqSchema,
  title: z.string().optional(),
  members: z.array(MemberInfoSchema),
  removed: z.array(UserIdSchema),
});
/** Your block list changed (on another of your devices, or by this request). */
export const BlockChangedFrameSchema = z.object({ type: z.literal('block.changed'), userId: UserIdSchema, blocked: z.boolean() });
/** Your privacy settings changed (on another of your devices, or by this request). */
export const PrivacyChangedFrameSchema = z.object({ type: z.literal('privacy.changed'), privacy: PrivacySchema });
export const ConversationRemovedFrameSchema = z.object({
  type: z.literal('conversation.removed'),
  conversationId: ConversationIdSchema,
});
export const ReceiptUpdatedFrameSchema = z.object({ type: z.literal('receipt.updated'), receipt: ReceiptSchema });
export const PresenceUpdatedFrameSchema = z.object({ type: z.literal('presence.updated'), presence: PresenceSchema });
export const TypingUpdatedFrameSchema = z.object({
  type: z.literal('typing.updated'),
  conversationId: ConversationIdSchema,
  userId: UserIdSchema,
  typing: z.boolean(),
  /** Show "typing…" for at most this long unless refreshed. */
  ttlMs: z.number().int(),
});

export const ServerFrameSchema = z.discriminatedUnion('type', [
  ReadyFrameSchema,
  ResultFrameSchema,
  ErrorFrameSchema,
  SyncBatchFrameSchema,
  MessageNewFrameSchema,
  ConversationUpdatedFrameSchema,
  ConversationChangedFrameSchema,
  ConversationRemovedFrameSchema,
  BlockChangedFrameSchema,
  PrivacyChangedFrameSchema,
  ReceiptUpdatedFrameSchema,
  PresenceUpdatedFrameSchema,
  TypingUpdatedFrameSchema,
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
export type ReadyFrame = z.infer<typeof ReadyFrameSchema>;
export type ErrorFrame = z.infer<typeof ErrorFrameSchema>;
export type SyncBatchFrame = z.infer<typeof SyncBatchFrameSchema>;
export type ConversationChange = Omit<z.infer<typeof ConversationChangedFrameSchema>, 'type'>;
/** Frames pushed by the server that are not replies. */
export type EventFrame = Exclude<ServerFrame, { type: 'ready' | 'result' | 'error' | 'sync.batch' }>;
export type EventType = EventFrame['type'];
