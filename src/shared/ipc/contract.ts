import { z } from 'zod';
import {
  BodySchema,
  ClientIdSchema,
  ConversationIdSchema,
  DisplayNameSchema,
  MAX_GROUP_MEMBERS,
  MAX_PAGE_SIZE,
  PresenceSchema,
  PrivacySchema,
  SeqSchema,
  ServerInfoSchema,
  SessionInfoSchema,
  TitleSchema,
  UserIdSchema,
  UserSchema,
} from '../protocol';
import {
  AccountSchema,
  ConnectionStateSchema,
  LocalConversationSchema,
  LocalMessageSchema,
  MessagePageSchema,
  OutboxSummarySchema,
  SearchHitSchema,
  TypingSchema,
} from './models';
import type { UserError } from './models';
import type { CourierAppInfo } from '../app-info';
import { SettingsPatchSchema, SettingsSchema } from './settings';
import type { IpcEventName, IpcMethodName } from './names';

/**
 * The typed bridge between the renderer and the main process. The renderer calls methods
 * (each answered by exactly one result envelope) and subscribes to events; nothing else
 * crosses. Main validates every argument with `params` before acting: the renderer shows
 * other people's text and is treated as untrusted.
 */

/** http(s) only: the server address the user typed. */
export const ServerUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'expected an http:// or https:// address');

const Void = z.null();
const ConversationRef = z.object({ conversationId: ConversationIdSchema });
const OutboxRef = z.object({ conversationId: ConversationIdSchema, clientId: ClientIdSchema });
const Credentials = { serverUrl: ServerUrlSchema, username: z.string().min(1).max(64), password: z.string().min(1).max(256) };

function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R) {
  return { params, result };
}

export const IPC_METHODS = {
  // Session and account
  /** The current picture for a window that opens (or reloads) after the events it would have seen. */
  'session.get': method(
    z.null(),
    z.object({ account: AccountSchema.nullable(), connection: ConnectionStateSchema, outbox: OutboxSummarySchema, presence: z.array(PresenceSchema) }),
  ),
  'session.signIn': method(z.object(Credentials).strict(), AccountSchema),
  'session.register': method(z.object({ ...Credentials, displayName: DisplayNameSchema.optional() }).strict(), AccountSchema),
  /** Signs out here and deletes this account's local data (history, outbox) from the machine. */
  'session.signOut': method(z.null(), Void),
  'session.list': method(z.null(), z.array(SessionInfoSchema)),
  'session.revoke': method(z.object({ sessionId: z.string().min(1).max(200) }).strict(), Void),
  'server.info': method(z.object({ serverUrl: ServerUrlSchema }).strict(), ServerInfoSchema),

  // Conversations
  'conversations.list': method(z.null(), z.array(LocalConversationSchema)),
  'conversation.openDirect': method(z.object({ userId: UserIdSchema }).strict(), LocalConversationSchema),
  'conversation.createGroup': method(
    z.object({ title: TitleSchema, memberIds: z.array(UserIdSchema).max(MAX_GROUP_MEMBERS - 1) }).strict(),
    LocalConversationSchema,
  ),
  'conversation.rename': method(z.object({ conversationId: ConversationIdSchema, title: TitleSchema }).strict(), LocalConversationSchema),
  'conversation.addMembers': method(
    z.object({ conversationId: ConversationIdSchema, userIds: z.array(UserIdSchema).min(1).max(MAX_GROUP_MEMBERS - 1) }).strict(),
    LocalConversationSchema,
  ),
  'conversation.removeMember': method(
    z.object({ conversationId: ConversationIdSchema, userId: UserIdSchema }).strict(),
    LocalConversationSchema,
  ),
  'conversation.leave': method(ConversationRef.strict(), Void),
  /** Answers a request (a DM) or an invitation (a group) from someone new with yes. */
  'conversation.accept': method(ConversationRef.strict(), LocalConversationSchema),
  /** …with no: it leaves this device, and the sender cannot ask again in a DM. */
  'conversation.decline': method(ConversationRef.strict(), Void),
  'conversation.setMuted': method(z.object({ conversationId: ConversationIdSchema, muted: z.boolean() }).strict(), Void),
  /** The user has seen everything up to `seq` (the renderer calls this for what is on screen). */
  'conversation.markRead': method(z.object({ conversationId: ConversationIdSchema, seq: SeqSchema }).strict(), Void),
  /** Which conversation the window shows (null: none); main uses it to decide notifications. */
  'conversation.setActive': method(z.object({ conversationId: ConversationIdSchema.nullable() }).strict(), Void),
  'typing.set': method(z.object({ conversationId: ConversationIdSchema, typing: z.boolean() }).strict(), Void),
  'users.search': method(z.object({ query: z.string().trim().min(1).max(64) }).strict(), z.array(UserSchema)),
  /** People this account blocked (from the local store: works offline). */
  'blocks.list': method(z.null(), z.array(UserSchema)),
  /** Blocks someone from one of your conversations: no DMs or invitations from them, nothing of yours reaches them. */
  'user.block': method(z.object({ userId: UserIdSchema }).strict(), Void),
  'user.unblock': method(z.object({ userId: UserIdSchema }).strict(), Void),
  /** Null until the first connection told us. */
  'privacy.get': method(z.null(), PrivacySchema.nullable()),
  'privacy.set': method(PrivacySchema.partial().strict(), PrivacySchema),

  // Messages
  /** Oldest first. Without `beforeSeq`: the newest page plus the outbox. Older pages come from the local store, then the server. */
  'messages.page': method(
    z.object({ conversationId: ConversationIdSchema, beforeSeq: SeqSchema.optional(), limit: z.number().int().min(1).max(MAX_PAGE_SIZE) }).strict(),
    MessagePageSchema,
  ),
  /** A window of entries centred on `seq` (to jump to a search result). */
  'messages.around': method(
    z.object({ conversationId: ConversationIdSchema, seq: SeqSchema, limit: z.number().int().min(1).max(MAX_PAGE_SIZE) }).strict(),
    MessagePageSchema,
  ),
  /** Stores the message in the outbox (state pending) and returns it at once; it is sent when connected. */
  'message.send': method(z.object({ conversationId: ConversationIdSchema, body: BodySchema }).strict(), LocalMessageSchema),
  'message.retry': method(OutboxRef.strict(), LocalMessageSchema),
  /** Deletes a pending or failed message from the outbox (never a sent one). */
  'message.delete': method(OutboxRef.strict(), Void),
  'search.messages': method(
    z.object({ query: z.string().trim().min(1).max(256), limit: z.number().int().min(1).max(200).optional() }).strict(),
    z.array(SearchHitSchema),
  ),

  // App
  'settings.get': method(z.null(), SettingsSchema),
  'settings.update': method(SettingsPatchSchema, SettingsSchema),
  /** Opens an http(s) link in the system browser; anything else is refused. */
  'shell.openExternal': method(z.object({ url: z.string().max(8192) }).strict(), Void),
} as const;

export const IPC_EVENTS = {
  connection: ConnectionStateSchema,
  /** Signed in (an account) or out (null). */
  account: AccountSchema.nullable(),
  /** Conversations created or changed (snapshots, unread, watermarks, mute). */
  'conversations.changed': z.object({ conversations: z.array(LocalConversationSchema) }),
  'conversation.removed': z.object({ conversationId: ConversationIdSchema }),
  /**
   * Entries added or changed in one conversation (new, acked, failed, retried), oldest
   * first; match by `clientId` when set, else by `seq`. `live`: arrived just now rather than
   * during catch-up or a history fetch.
   */
  'messages.changed': z.object({
    conversationId: ConversationIdSchema,
    messages: z.array(LocalMessageSchema),
    origin: z.enum(['local', 'live', 'sync', 'history']),
  }),
  'message.deleted': z.object({ conversationId: ConversationIdSchema, clientId: z.string() }),
  typing: TypingSchema,
  presence: PresenceSchema,
  outbox: OutboxSummarySchema,
  /** Total unread across conversations that are not muted. */
  unread: z.object({ total: z.number().int().min(0) }),
  settings: SettingsSchema,
  /** The block list changed (here or on another device). */
  'blocks.changed': z.object({ users: z.array(UserSchema) }),
  privacy: PrivacySchema,
  /** Main asks the window to show a conversation (a notification was clicked). */
  'navigate.conversation': z.object({ conversationId: ConversationIdSchema }),
} as const;

export type IpcMethods = typeof IPC_METHODS;
export type IpcParams<M extends IpcMethodName> = z.input<IpcMethods[M]['params']>;
export type IpcResultValue<M extends IpcMethodName> = z.infer<IpcMethods[M]['result']>;
export type IpcEvents = typeof IPC_EVENTS;
export type IpcEventPayload<E extends IpcEventName> = z.infer<IpcEvents[E]>;

/** Every method answers with an envelope: errors are values the UI can act on, never thrown across the bridge. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: UserError };

/** The shape of `window.courier` (the preload builds it; the renderer uses it). */
export interface CourierBridge {
  readonly app: CourierAppInfo;
  invoke<M extends IpcMethodName>(method: M, params: IpcParams<M>): Promise<IpcResult<IpcResultValue<M>>>;
  /** Returns the function that unsubscribes. */
  on<E extends IpcEventName>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
}

// Keep the name lists (used by the preload, which must stay small) in step with the tables.
type SameKeys<A, B> = [Exclude<keyof A, B>, Exclude<B, keyof A>] extends [never, never] ? true : never;
export const IPC_NAMES_MATCH: SameKeys<IpcMethods, IpcMethodName> & SameKeys<IpcEvents, IpcEventName> = true;
