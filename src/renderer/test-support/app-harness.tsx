import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { CourierBridge } from '../../shared/ipc';
import { AppContext } from '../state/app-context';
import { AppState } from '../state/app-state';
import type { Account, LocalConversation, Presence, Settings } from '../state/types';
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
  fake?: FakeCourier;
}

/** A FakeCourier answering everything AppState.start() asks (settings.update keeps what it is given). */
export function fakeApp(o: FakeAppOptions = {}): FakeCourier {
  let settings: Settings = { ...TEST_SETTINGS, ...o.settings };
  return (o.fake ?? new FakeCourier())
    .handle('session.get', () => ({
      account: o.account === undefined ? TEST_ACCOUNT : o.account,
      connection: { status: 'online', attempt: 0, nextRetryAt: null, error: null },
      outbox: { pending: 0, failed: 0 },
      presence: o.presence ?? [],
    }))
    .handle('settings.get', () => settings)
    .handle('settings.update', (patch) => (settings = { ...settings, ...patch }))
    .handle('conversations.list', () => o.conversations ?? [])
    .handle('conversation.setActive', () => null);
}

/** Starts an AppState on the fake and waits until the signed-in account's conversations are loaded. */
export async function startApp(fake: FakeCourier): Promise<AppState> {
  const app = new AppState(bridgeOf(fake));
  await app.start();
  // The account change starts conversations.load(); let it settle.
  for (let i = 0; i < 5 && app.myUserId !== null && !app.conversations.getSnapshot().loaded; i++) await new Promise((r) => setTimeout(r, 0));
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
