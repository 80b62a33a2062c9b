import { z } from 'zod';
import { MAX_GROUP_MEMBERS, MAX_PAGE_SIZE, MAX_WATERMARKS } from './limits';
import {
  BodySchema,
  ClientIdSchema,
  ConversationIdSchema,
  RequestIdSchema,
  SeqSchema,
  TimestampSchema,
  TitleSchema,
  UserIdSchema,
} from './primitives';
import { ConversationSchema, MessageSchema, PresenceSchema, PrivacySchema, UserSchema } from './entities';

/**
 * Requests a client sends over the socket, as one table: the frame's own fields and the
 * `data` of the `result` frame that answers it. A request with an `id` is answered by
 * exactly one `result` or `error` frame carrying that id; a notice may leave the id out
 * (fire-and-forget), but errors are still reported.
 */
function rpc<T extends string, P extends z.ZodRawShape, R extends z.ZodType>(type: T, params: P, result: R) {
  const frame = z.object({ type: z.literal(type), id: RequestIdSchema, ...params });
  return { type, frame, result };
}

/** Like rpc, but the id may be left out (fire-and-forget notices such as typing). */
function notice<T extends string, P extends z.ZodRawShape, R extends z.ZodType>(type: T, params: P, result: R) {
  const frame = z.object({ type: z.literal(type), id: RequestIdSchema.optional(), ...params });
  return { type, frame, result };
}

const Empty = z.object({});
const ConversationResult = z.object({ conversation: ConversationSchema });

export const Rpc = {
  sync: rpc(
    'sync',
    {
      /** [conversationId, highest seq stored locally] for every conversation the client knows. */
      watermarks: z.array(z.tuple([ConversationIdSchema, SeqSchema])).max(MAX_WATERMARKS),
      /** For conversations not in `watermarks`: send at most this many latest entries (default: all). */
      backlog: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    },
    z.object({
      conversations: z.number().int(),
      messages: z.number().int(),
      removed: z.number().int(),
      presence: z.array(PresenceSchema),
      serverTime: TimestampSchema,
    }),
  ),
  messageSend: rpc(
    'message.send',
    { conversationId: ConversationIdSchema, clientId: ClientIdSchema, body: BodySchema },
    z.object({ conversationId: ConversationIdSchema, clientId: z.string(), seq: SeqSchema, ts: TimestampSchema }),
  ),
  historyFetch: rpc(
    'history.fetch',
    {
      conversationId: ConversationIdSchema,
      /** Opaque cursor from a previous page; omitted = the newest page. */
      before: z.string().max(200).optional(),
      /**
       * Entries with seq < beforeSeq: an alternative to `before` for clients that store
       * history locally and know their oldest seq. Giving both is invalid_request.
       */
      beforeSeq: SeqSchema.optional(),
      limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
    },
    z.object({
      /** Oldest first. */
      messages: z.array(MessageSchema),
      /** Cursor for the next older page; null when the start is reached. */
      before: z.string().nullable(),
    }),
  ),
  receiptMark: notice(
    'receipt.mark',
    { conversationId: ConversationIdSchema, kind: z.enum(['delivered', 'read']), seq: SeqSchema },
    z.object({ deliveredSeq: SeqSchema, readSeq: SeqSchema }),
  ),
  typingSet: notice('typing.set', { conversationId: ConversationIdSchema, typing: z.boolean() }, Empty),
  presenceSet: notice('presence.set', { status: z.enum(['online', 'away']) }, Empty),
  conversationList: rpc('conversation.list', {}, z.object({ conversations: z.array(ConversationSchema) })),
  conversationGet: rpc('conversation.get', { conversationId: ConversationIdSchema }, ConversationResult),
  conversationOpenDirect: rpc('conversation.openDirect', { userId: UserIdSchema }, ConversationResult),
  conversationCreateGroup: rpc(
    'conversation.createGroup',
    { title: TitleSchema, memberIds: z.array(UserIdSchema).max(MAX_GROUP_MEMBERS - 1) },
    ConversationResult,
  ),
  conversationRename: rpc('conversation.rename', { conversationId: ConversationIdSchema, title: TitleSchema }, ConversationResult),
  conversationAddMembers: rpc(
    'conversation.addMembers',
    { conversationId: ConversationIdSchema, userIds: z.array(UserIdSchema).min(1).max(MAX_GROUP_MEMBERS - 1) },
    ConversationResult,
  ),
  conversationRemoveMember: rpc(
    'conversation.removeMember',
    { conversationId: ConversationIdSchema, userId: UserIdSchema },
    ConversationResult,
  ),
  conversationLeave: rpc('conversation.leave', { conversationId: ConversationIdSchema }, Empty),
  conversationAccept: rpc('conversation.accept', { conversationId: ConversationIdSchema }, ConversationResult),
  conversationDecline: rpc('conversation.decline', { conversationId: ConversationIdSchema }, Empty),
  userSearch: rpc(
    'user.search',
    { query: z.string().trim().min(1).max(64), limit: z.number().int().min(1).max(50).optional() },
    z.object({ users: z.array(UserSchema) }),
  ),
  blockAdd: rpc('block.add', { userId: UserIdSchema }, Empty),
  blockRemove: rpc('block.remove', { userId: UserIdSchema }, Empty),
  blockList: rpc('block.list', {}, z.object({ users: z.array(UserSchema) })),
  privacyGet: rpc('privacy.get', {}, z.object({ privacy: PrivacySchema })),
  /**
   * A fresh access token for this socket (from /auth/refresh), before the one it opened
   * with expires: same user and session, or `auth_invalid`. Without it the socket is
   * closed with 4002 when its token expires.
   */
  sessionRenew: rpc('session.renew', { token: z.string().min(1).max(4096) }, z.object({ expiresAt: TimestampSchema })),
  privacySet: rpc('privacy.set', { privacy: PrivacySchema.partial() }, z.object({ privacy: PrivacySchema })),
} as const;

type RpcTable = typeof Rpc;
type RpcEntry = RpcTable[keyof RpcTable];
export type RequestType = RpcEntry['type'];
type EntryOf<T extends RequestType> = Extract<RpcEntry, { type: T }>;
/** The frame a client sends for request type T. */
export type RequestFrame<T extends RequestType = RequestType> = z.infer<EntryOf<T>['frame']>;
/** What a client passes for request type T (the frame without type and id). */
export type RequestParams<T extends RequestType> = Omit<z.input<EntryOf<T>['frame']>, 'type' | 'id'>;
/** The `data` of the result frame answering T. */
export type ResultData<T extends RequestType> = z.infer<EntryOf<T>['result']>;

export const RESULT_SCHEMAS: { [T in RequestType]: EntryOf<T>['result'] } = Object.fromEntries(
  Object.values(Rpc).map((e) => [e.type, e.result]),
) as never;

/** First-frame authentication for clients that cannot set an Authorization header. */
export const AuthFrameSchema = z.object({ type: z.literal('auth'), token: z.string().min(1).max(4096) });
export type AuthFrame = z.infer<typeof AuthFrameSchema>;

export const ClientFrameSchema = z.discriminatedUnion('type', [
  AuthFrameSchema,
  Rpc.sync.frame,
  Rpc.messageSend.frame,
  Rpc.historyFetch.frame,
  Rpc.receiptMark.frame,
  Rpc.typingSet.frame,
  Rpc.presenceSet.frame,
  Rpc.conversationList.frame,
  Rpc.conversationGet.frame,
  Rpc.conversationOpenDirect.frame,
  Rpc.conversationCreateGroup.frame,
  Rpc.conversationRename.frame,
  Rpc.conversationAddMembers.frame,
  Rpc.conversationRemoveMember.frame,
  Rpc.conversationLeave.frame,
  Rpc.conversationAccept.frame,
  Rpc.conversationDecline.frame,
  Rpc.userSearch.frame,
  Rpc.blockAdd.frame,
  Rpc.blockRemove.frame,
  Rpc.blockList.frame,
  Rpc.privacyGet.frame,
  Rpc.privacySet.frame,
  Rpc.sessionRenew.frame,
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;
export const REQUEST_TYPES: readonly RequestType[] = Object.values(Rpc).map((e) => e.type);
