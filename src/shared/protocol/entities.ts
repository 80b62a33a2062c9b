import { z } from 'zod';
import { ConversationIdSchema, SeqSchema, TimestampSchema, UserIdSchema } from './primitives';

export const UserSchema = z.object({
  id: UserIdSchema,
  username: z.string(),
  displayName: z.string().nullable(),
});
export type User = z.infer<typeof UserSchema>;

/** What a system message records about a change to the conversation. */
export const SystemEventSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('created'), title: z.string().nullable() }),
  z.object({ event: z.literal('renamed'), title: z.string() }),
  z.object({ event: z.literal('members.added'), userIds: z.array(UserIdSchema) }),
  z.object({ event: z.literal('member.removed'), userId: UserIdSchema }),
  z.object({ event: z.literal('member.left') }),
  /** The sender declined the request (a DM) or the invitation (a group) and is out. */
  z.object({ event: z.literal('request.declined') }),
]);
export type SystemEvent = z.infer<typeof SystemEventSchema>;

/**
 * One timeline entry. `seq` is gapless per conversation and assigned by the server;
 * membership changes are timeline entries too (kind 'system'), so catch-up of a
 * conversation is simply "every entry after my seq".
 */
export const MessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    conversationId: ConversationIdSchema,
    seq: SeqSchema,
    senderId: UserIdSchema,
    clientId: z.string(),
    body: z.string(),
    ts: TimestampSchema,
  }),
  z.object({
    kind: z.literal('system'),
    conversationId: ConversationIdSchema,
    seq: SeqSchema,
    senderId: UserIdSchema,
    clientId: z.null(),
    system: SystemEventSchema,
    ts: TimestampSchema,
  }),
]);
export type Message = z.infer<typeof MessageSchema>;
export type TextMessage = Extract<Message, { kind: 'text' }>;

/**
 * `accepted`: a member by their own choice (they created, accepted, sent, or were put in by
 * someone they already talk to). `pending`: put in by someone they have no accepted
 * conversation with, not answered yet — a request (DM) or an invitation (group).
 */
export const MemberStateSchema = z.enum(['accepted', 'pending']);
export type MemberState = z.infer<typeof MemberStateSchema>;

/** Who a member is and their standing, without their receipts (what a change announces). */
export const MemberInfoSchema = z.object({
  userId: UserIdSchema,
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(['owner', 'member']),
  /** Servers before consent sent no state: everyone was a member by then. */
  state: MemberStateSchema.default('accepted'),
  /** Who put them in (the request's or invitation's sender); null for the creator and for joins of their own. */
  invitedBy: UserIdSchema.nullable().default(null),
});
export type MemberInfo = z.infer<typeof MemberInfoSchema>;

export const MemberSchema = MemberInfoSchema.extend({
  /** Highest seq one of this member's devices has stored (0 where you may not see their receipts). */
  deliveredSeq: SeqSchema,
  /** Highest seq this member has seen. Never moves backwards (0 where you may not see their receipts). */
  readSeq: SeqSchema,
});
export type Member = z.infer<typeof MemberSchema>;
export type Role = Member['role'];

export const ConversationSchema = z.object({
  id: ConversationIdSchema,
  kind: z.enum(['direct', 'group']),
  /** Groups only; a direct chat is named after the other member. */
  title: z.string().nullable(),
  createdAt: TimestampSchema,
  lastSeq: SeqSchema,
  lastMessage: MessageSchema.nullable(),
  /** Entries after your readSeq (your own sends advance your readSeq). */
  unread: z.number().int().min(0),
  members: z.array(MemberSchema),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const PresenceStatusSchema = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;
export const PresenceSchema = z.object({
  userId: UserIdSchema,
  status: PresenceStatusSchema,
  /** When the user was last connected; null if never, or while online. */
  lastSeenAt: TimestampSchema.nullable(),
});
export type Presence = z.infer<typeof PresenceSchema>;

export const ReceiptSchema = z.object({
  conversationId: ConversationIdSchema,
  userId: UserIdSchema,
  deliveredSeq: SeqSchema,
  readSeq: SeqSchema,
});
export type Receipt = z.infer<typeof ReceiptSchema>;

/** Who may see when a user was last online. */
export const LastSeenVisibilitySchema = z.enum(['contacts', 'nobody']);
export type LastSeenVisibility = z.infer<typeof LastSeenVisibilitySchema>;
export const PrivacySchema = z.object({
  /** contacts: everyone who shares an accepted conversation with you; nobody: no one (you still see your own). */
  lastSeen: LastSeenVisibilitySchema,
});
export type Privacy = z.infer<typeof PrivacySchema>;

export const SessionInfoSchema = z.object({
  id: z.string(),
  deviceName: z.string(),
  createdAt: TimestampSchema,
  lastSeenAt: TimestampSchema,
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;
