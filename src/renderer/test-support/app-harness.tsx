import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { CourierBridge } from '../../shared/ipc';
import { AppContext } from '../state/app-context';
import { AppState } from '../state/app-state';
import type { Account, LocalConversation, Presence, Privacy, Settings, User } from '../state/types';
import { FakeCourier } from './fake-courier';
import { ME } from './fixtures';

/**
 * Component tests run a real AppState over a FakeCourier wrapped in main's result
 * envelope, exactly as the preload's `window.courier` delivers it. One set-up for every
 * area; each test adds or replaces handlers for what it exercises.
 */

export const TEST_ACCOUNT: Account = { serverUrl: 'http://127.0.0.1:1', userId: ME, username: 'me', displayName: 'Mia Example', sessionId: 's1' };

export const TEST_SETTINGS: Settings = {
  notifications: true,
  notificationsPaused: false,
  status: 'online',
  startAtLogin: false,
  closeToTray: true,
  theme: 'light',
  lastServerUrl: null,
};

/** The fake behind main's `{ok, value | error}` envelope. */
export function bridgeOf(fake: FakeCourier): CourierBridge {
  return {
    app: { platform: 'linux', versions: { app: '0', electron: '0', chrome: '0', node: '0' } },
    invoke: async (method, params) => {
      try {
        return { ok: true, value: await fake.call(method, params) };
      } catch (e) {
        return { ok: false, error: { code: (e as { code?: string }).code ?? 'internal', message: String((e as Error).message) } };
      }
    },
    on: (event, listener) => fake.on(event, listener),
  };
}

export interface FakeAppOptions {
  /** null: signed out. */
  account?: Account | null;
  settings?: Partial<Settings>;
  conversations?: LocalConversation[];
  presence?: Presence[];
  /** The block list `blocks.list` answers (empty unless given). */
  blocked?: User[];
  /** What `privacy.get` answers (last seen shown to contacts unless given; null: not heard yet). */
  privacy?: Privacy | null;
  fake?: FakeCourier;
}

/**
 * A FakeCourier answering everything AppState.start() asks (settings.update keeps what it
 * is given; user.block/unblock and privacy.set change what blocks.list and privacy.get say).
 */
export function fakeApp(o: FakeAppOptions = {}): FakeCourier {
  let settings: Settings = { ...TEST_SETTINGS, ...o.settings };
  let blocked: User[] = o.blocked ?? [];
  let privacy: Privacy | null = o.privacy === undefined ? { lastSeen: 'contacts' } : o.privacy;
  const fake = o.fake ?? new FakeCourier();
  const known = (userId: string): User => {
    for (const c of o.conversations ?? []) {
      const m = c.members.find((x) => x.userId === userId);
      if (m) return { id: m.userId, username: m.username, displayName: m.displayName };
    }
    return { id: userId, username: userId.replace(/^u_/, ''), displayName: null };
  };
  return fake
    .handle('session.get', () => ({
      account: o.account === undefined ? TEST_ACCOUNT : o.account,
      connection: { status: 'online', attempt: 0, nextRetryAt: null, error: null },
      outbox: { pending: 0, failed: 0 },
      presence: o.presence ?? [],
    }))
    .handle('settings.get', () => settings)
    .handle('settings.update', (patch) => (settings = { ...settings, ...patch }))
    .handle('conversations.list', () => o.conversations ?? [])
    .handle('conversation.setActive', () => null)
    .handle('blocks.list', () => blocked)
    .handle('user.block', ({ userId }) => {
      if (!blocked.some((u) => u.id === userId)) blocked = [...blocked, known(userId)];
      fake.emit('blocks.changed', { users: blocked });
      return null;
    })
    .handle('user.unblock', ({ userId }) => {
      blocked = blocked.filter((u) => u.id !== userId);
      fake.emit('blocks.changed', { users: blocked });
      return null;
    })
    .handle('privacy.get', () => privacy)
    .handle('privacy.set', (patch) => (privacy = { lastSeen: 'contacts', ...privacy, ...patch }));
}

/** Starts an AppState on the fake and waits until the signed-in account's conversations are loaded. */
export async function startApp(fake: FakeCourier): Promise<AppState> {
  const app = new AppState(bridgeOf(fake));
  await app.start();
  // The account change starts conversations.load() and the block list; let them settle.
  const settled = () => app.conversations.getSnapshot().loaded && app.blocks.getSnapshot().loaded;
  for (let i = 0; i < 5 && app.myUserId !== null && !settled(); i++) await new Promise((r) => setTimeout(r, 0));
  return app;
}

/** Renders inside the app's context; a wrapper (not a parent element) so rerender() keeps it. */
export function renderWithApp(app: AppState, ui: ReactElement): RenderResult {
  return render(ui, { wrapper: ({ children }) => <AppContext.Provider value={app}>{children}</AppContext.Provider> });
}

/** The usual start: signed in as ME with the given conversations and presence. */
export async function signedInApp(o: FakeAppOptions = {}): Promise<{ app: AppState; fake: FakeCourier }> {
  const fake = fakeApp(o);
  return { app: await startApp(fake), fake };
}
