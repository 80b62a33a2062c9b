import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { CourierBridge } from '../../shared/ipc';
import { AppContext } from '../state/app-context';
import { AppState } from '../state/app-state';
import type { Account, LocalConversation, Settings } from '../state/types';
import { FakeCourier } from './fake-courier';
import { ME } from './fixtures';

/** Component-test set-up for the sign-in screen, settings and search panels. */

export const SIGNED_IN: Account = { serverUrl: 'https://chat.example.com', userId: ME, username: 'me', displayName: 'Me Myself', sessionId: 's_here' };

export const SETTINGS: Settings = {
  notifications: true,
  notificationsPaused: false,
  status: 'online',
  startAtLogin: false,
  closeToTray: true,
  theme: 'system',
  lastServerUrl: null,
};

/** A FakeCourier answering what AppState.start() asks; tests add or replace handlers before `renderApp`. */
export function fakeCourier(o: { account?: Account | null; settings?: Partial<Settings>; conversations?: LocalConversation[] } = {}): FakeCourier {
  let settings: Settings = { ...SETTINGS, ...o.settings };
  return new FakeCourier()
    .handle('session.get', () => ({
      account: o.account === undefined ? SIGNED_IN : o.account,
      connection: { status: 'online', attempt: 0, nextRetryAt: null, error: null },
      outbox: { pending: 0, failed: 0 },
      presence: [],
    }))
    .handle('settings.get', () => settings)
    .handle('settings.update', (patch) => (settings = { ...settings, ...patch }))
    .handle('conversations.list', () => o.conversations ?? [])
    .handle('conversation.setActive', () => null);
}

/** main's envelope around the fake, as the preload would deliver it. */
export function bridgeFor(fake: FakeCourier): CourierBridge {
  return {
    app: { platform: 'linux', versions: { app: '0', electron: '0', chrome: '0', node: '0' } },
    invoke: async (method: never, params: never) => {
      try {
        return { ok: true as const, value: await fake.call(method, params) };
      } catch (e) {
        return { ok: false as const, error: { code: (e as { code?: string }).code ?? 'internal', message: String((e as Error).message) } };
      }
    },
    on: (event: never, listener: never) => fake.on(event, listener),
  } as CourierBridge;
}

/** Starts an AppState on the fake (session, settings and conversations loaded), then renders `ui` inside it. */
export async function renderApp(fake: FakeCourier, ui: ReactElement): Promise<{ app: AppState } & RenderResult> {
  const app = new AppState(bridgeFor(fake));
  await app.start();
  await new Promise((r) => setTimeout(r, 0));
  const result = render(<AppContext.Provider value={app}>{ui}</AppContext.Provider>);
  return { app, ...result };
}
