import type { z } from 'zod';
import {
  IPC_METHODS,
  type IpcMethodName,
  type IpcMethods,
  type IpcResult,
  type IpcResultValue,
  type Settings,
  type SettingsPatch,
} from '../../shared/ipc';
import { isSafeExternalUrl } from '../../shared/ipc/external-url';
import { CourierError, SessionEndedError } from '../errors';
import { CourierHttp } from '../http-api';
import type { CourierEngine } from '../engine/engine';
import type { ShellPort } from './desktop-core';

/** What the handlers need from their host: the engine, settings, the shell, and UI focus. */
export interface HandlerContext {
  engine: CourierEngine;
  shell: ShellPort;
  settings(): Settings;
  updateSettings(patch: SettingsPatch): Settings;
  /** The sign-in screen offers this server next time. */
  rememberServer(serverUrl: string): void;
  setActiveConversation(conversationId: string | null): void;
}

type Params<M extends IpcMethodName> = z.output<IpcMethods[M]['params']>;
export type IpcHandlers = { [M in IpcMethodName]: (params: Params<M>) => Promise<IpcResultValue<M>> | IpcResultValue<M> };

/**
 * The one table of IPC handlers. Electron's main process registers it behind ipcMain with
 * sender checks; the browser test harness serves the same table over a WebSocket, so the
 * renderer is tested against exactly what ships.
 */
export function createIpcHandlers(ctx: HandlerContext): IpcHandlers {
  const { engine } = ctx;
  return {
    'session.get': () => ({
      account: engine.account,
      connection: engine.connection,
      outbox: engine.signedIn ? engine.session.outboxSummary() : { pending: 0, failed: 0 },
      presence: engine.signedIn ? engine.session.presenceSnapshot() : [],
    }),
    'session.signIn': async (p) => {
      const account = await engine.signIn(p.serverUrl, p.username, p.password);
      ctx.rememberServer(account.serverUrl);
      return account;
    },
    'session.register': async (p) => {
      const account = await engine.register(p.serverUrl, p.username, p.password, p.displayName);
      ctx.rememberServer(account.serverUrl);
      return account;
    },
    'session.signOut': async () => {
      await engine.signOut();
      return null;
    },
    'session.list': () => engine.session.sessions(),
    'session.revoke': async (p) => {
      await engine.session.revokeSession(p.sessionId);
      return null;
    },
    'server.info': (p) => new CourierHttp(p.serverUrl).serverInfo(),

    'conversations.list': () => (engine.signedIn ? engine.session.conversations() : []),
    'conversation.openDirect': (p) => engine.session.openDirect(p.userId),
    'conversation.createGroup': (p) => engine.session.createGroup(p.title, p.memberIds),
    'conversation.rename': (p) => engine.session.rename(p.conversationId, p.title),
    'conversation.addMembers': (p) => engine.session.addMembers(p.conversationId, p.userIds),
    'conversation.removeMember': (p) => engine.session.removeMember(p.conversationId, p.userId),
    'conversation.leave': async (p) => {
      await engine.session.leave(p.conversationId);
      return null;
    },
    'conversation.accept': (p) => engine.session.accept(p.conversationId),
    'conversation.decline': async (p) => {
      await engine.session.decline(p.conversationId);
      return null;
    },
    'blocks.list': () => (engine.signedIn ? engine.session.blockedUsers() : []),
    'user.block': async (p) => {
      await engine.session.block(p.userId);
      return null;
    },
    'user.unblock': async (p) => {
      await engine.session.unblock(p.userId);
      return null;
    },
    'privacy.get': () => (engine.signedIn ? engine.session.privacy() : null),
    'privacy.set': (p) => engine.session.setPrivacy(p),
    'conversation.setMuted': (p) => {
      engine.session.setMuted(p.conversationId, p.muted);
      return null;
    },
    'conversation.markRead': (p) => {
      engine.session.markRead(p.conversationId, p.seq);
      return null;
    },
    'conversation.setActive': (p) => {
      ctx.setActiveConversation(p.conversationId);
      return null;
    },
    'typing.set': (p) => {
      engine.session.setTyping(p.conversationId, p.typing);
      return null;
    },
    'users.search': (p) => engine.session.searchUsers(p.query),

    'messages.page': (p) => engine.session.page(p.conversationId, p.limit, p.beforeSeq),
    'messages.around': (p) => engine.session.around(p.conversationId, p.seq, p.limit),
    'message.send': (p) => engine.session.send(p.conversationId, p.body),
    'message.retry': (p) => engine.session.retry(p.clientId),
    'message.delete': (p) => {
      engine.session.deleteOutbox(p.conversationId, p.clientId);
      return null;
    },
    'search.messages': (p) => engine.session.search(p.query, p.limit ?? 50),

    'settings.get': () => ctx.settings(),
    'settings.update': (p) => ctx.updateSettings(p),
    'shell.openExternal': async (p) => {
      if (!isSafeExternalUrl(p.url)) throw new CourierError('invalid_request', 'Only http and https links can be opened.');
      await ctx.shell.openExternal(p.url);
      return null;
    },
  };
}

/**
 * Validates `params` with the contract's schema, runs the handler and wraps the outcome in
 * the result envelope. Never throws: the renderer gets an error it can show.
 */
export async function dispatchIpc(handlers: IpcHandlers, method: string, params: unknown): Promise<IpcResult<unknown>> {
  if (!Object.hasOwn(IPC_METHODS, method)) return failure('unknown_method', `There is no method called ${JSON.stringify(method).slice(0, 80)}.`);
  const name = method as IpcMethodName;
  const parsed = IPC_METHODS[name].params.safeParse(params ?? null);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return failure('invalid_argument', `${where}${issue?.message ?? 'invalid arguments'}`);
  }
  try {
    const handler = handlers[name] as (p: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof CourierError) return failure(error.code, error.message);
    if (error instanceof SessionEndedError) return failure('session_ended', error.message);
    // A bug, not a condition the user can act on: keep the details for the log (main's stderr).
    console.error(`courier: ${name} failed unexpectedly:`, error);
    return failure('internal', 'Something went wrong inside Courier. Try again; if it keeps happening, restart the app.');
  }
}

function failure(code: string, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}
