import type { IpcEventName, IpcEventPayload, Settings, SettingsPatch } from '../../shared/ipc';
import { CourierEngine } from '../engine/engine';
import type { CoreEventListener, DesktopCore, DesktopCoreOptions } from './desktop-core';
import { createIpcHandlers, dispatchIpc } from './ipc-handlers';
import { openSettingsStore } from './settings-store';
import type { ConnectionTuning } from '../engine/active-session';

export interface CreateDesktopCoreExtras {
  /** Tests and the browser harness tune reconnect timing; the app uses the defaults. */
  connection?: ConnectionTuning;
  backlog?: number;
}

/** Events that describe current state (not a change): replayed to new subscribers. */
const STATE_EVENTS: ReadonlySet<IpcEventName> = new Set(['connection', 'account', 'unread', 'outbox']);

/**
 * Composes the engine, the settings file and the IPC handler table into the DesktopCore
 * that Electron's main process (or the browser test harness) drives.
 */
export async function createDesktopCore(o: DesktopCoreOptions & CreateDesktopCoreExtras): Promise<DesktopCore> {
  const listeners = new Set<CoreEventListener>();
  // The engine starts connecting while it opens, before anyone can subscribe: the latest
  // value of each state-like event is kept and replayed to every new subscriber, so no
  // subscriber ever starts from a stale picture.
  const latest = new Map<IpcEventName, unknown>();
  const emit: CoreEventListener = <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => {
    if (STATE_EVENTS.has(event)) latest.set(event, payload);
    for (const listener of listeners) listener(event, payload);
  };
  const settings = openSettingsStore(o.profileDir);
  if (o.defaultServerUrl && settings.get().lastServerUrl === null) settings.update({ lastServerUrl: o.defaultServerUrl });
  const engine = await CourierEngine.open({
    profileDir: o.profileDir,
    vault: o.vault,
    deviceName: o.deviceName,
    emit,
    ...(o.nativeBinding ? { nativeBinding: o.nativeBinding } : {}),
    ...(o.connection ? { connection: o.connection } : {}),
    ...(o.backlog !== undefined ? { backlog: o.backlog } : {}),
  });
  engine.setStatus(settings.get().status);
  settings.onChange((next: Settings) => {
    engine.setStatus(next.status);
    o.shell.settingsChanged(next);
    emit('settings', next);
  });

  let activeConversation: string | null = null;
  const handlers = createIpcHandlers({
    engine,
    shell: o.shell,
    settings: () => settings.get(),
    updateSettings: (patch: SettingsPatch) => settings.update(patch),
    rememberServer: (serverUrl) => void settings.update({ lastServerUrl: serverUrl }),
    setActiveConversation: (id) => {
      activeConversation = id;
    },
  });

  return {
    dispatch: (method, params) => dispatchIpc(handlers, method, params),
    subscribe(listener) {
      listeners.add(listener);
      for (const [event, payload] of latest) listener(event, payload as never);
      return () => listeners.delete(listener);
    },
    settings: () => settings.get(),
    updateSettings: (patch) => settings.update(patch),
    activeConversationId: () => activeConversation,
    myUserId: () => (engine.signedIn ? engine.session.account.userId : null),
    conversationInfo(conversationId) {
      if (!engine.signedIn) return null;
      const c = engine.session.conversation(conversationId);
      if (!c) return null;
      const me = engine.session.account.userId;
      const other = c.members.find((m) => m.userId !== me);
      const title = c.kind === 'group' ? (c.title ?? 'Group') : (other?.displayName ?? other?.username ?? 'Direct chat');
      return { title, muted: c.muted };
    },
    reconnectNow: (reason) => engine.reconnectNow(reason),
    setIdle: (idle) => engine.setIdle(idle),
    close: async () => {
      listeners.clear();
      await engine.close();
    },
  };
}
