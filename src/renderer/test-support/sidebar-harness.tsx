import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { CourierBridge } from '../../shared/ipc';
import { AppContext } from '../state/app-context';
import { AppState } from '../state/app-state';
import type { Account, LocalConversation, Presence } from '../state/types';
import { FakeCourier } from './fake-courier';
import { ME } from './fixtures';

/**
 * Component tests for the sidebar, dialogs and group info: a real AppState over a
 * FakeCourier, signed in as ME with the given conversations and presence.
 */

export const MY_ACCOUNT: Account = { serverUrl: 'http://127.0.0.1:1', userId: ME, username: 'me', displayName: 'Mia Example', sessionId: 's1' };

/** FakeCourier behind main's result envelope, as the preload's `window.courier` would be. */
export function fakeBridge(fake: FakeCourier): CourierBridge {
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

export async function signedInApp(o: { conversations?: LocalConversation[]; presence?: Presence[]; fake?: FakeCourier } = {}): Promise<{ app: AppState; fake: FakeCourier }> {
  const fake = (o.fake ?? new FakeCourier())
    .handle('session.get', () => ({
      account: MY_ACCOUNT,
      connection: { status: 'online', attempt: 0, nextRetryAt: null, error: null },
      outbox: { pending: 0, failed: 0 },
      presence: o.presence ?? [],
    }))
    .handle('settings.get', () => ({ notifications: true, notificationsPaused: false, status: 'online', startAtLogin: false, closeToTray: true, theme: 'light', lastServerUrl: null }))
    .handle('conversations.list', () => o.conversations ?? [])
    .handle('conversation.setActive', () => null);
  const app = new AppState(fakeBridge(fake));
  await app.start();
  // The account change starts conversations.load(); let it settle.
  for (let i = 0; i < 5 && !app.conversations.getSnapshot().loaded; i++) await new Promise((r) => setTimeout(r, 0));
  return { app, fake };
}

export function renderWithApp(app: AppState, ui: ReactElement): RenderResult {
  return render(<AppContext.Provider value={app}>{ui}</AppContext.Provider>);
}
