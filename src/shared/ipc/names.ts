/**
 * The IPC method and event names as plain data. The sandboxed preload imports only this
 * file (no zod), so it stays a few kilobytes; contract.ts checks these lists against its
 * schema tables at compile time.
 */
export const IPC_METHOD_NAMES = [
  'session.get',
  'session.signIn',
  'session.register',
  'session.signOut',
  'session.list',
  'session.revoke',
  'server.info',
  'conversations.list',
  'conversation.openDirect',
  'conversation.createGroup',
  'conversation.rename',
  'conversation.addMembers',
  'conversation.removeMember',
  'conversation.leave',
  'conversation.accept',
  'conversation.decline',
  'conversation.setMuted',
  'conversation.markRead',
  'conversation.setActive',
  'typing.set',
  'users.search',
  'blocks.list',
  'user.block',
  'user.unblock',
  'privacy.get',
  'privacy.set',
  'messages.page',
  'messages.around',
  'message.send',
  'message.retry',
  'message.delete',
  'search.messages',
  'settings.get',
  'settings.update',
  'shell.openExternal',
] as const;
export type IpcMethodName = (typeof IPC_METHOD_NAMES)[number];

export const IPC_EVENT_NAMES = [
  'connection',
  'account',
  'conversations.changed',
  'conversation.removed',
  'messages.changed',
  'message.deleted',
  'typing',
  'presence',
  'outbox',
  'unread',
  'settings',
  'blocks.changed',
  'privacy',
  'navigate.conversation',
] as const;
export type IpcEventName = (typeof IPC_EVENT_NAMES)[number];

/** Electron channel names: one per method (invoke/handle), one per event (send/on). */
export const methodChannel = (name: IpcMethodName): string => `courier:call:${name}`;
export const eventChannel = (name: IpcEventName): string => `courier:event:${name}`;
