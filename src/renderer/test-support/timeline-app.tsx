import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { CourierBridge } from '../../shared/ipc';
import { AppContext } from '../state/app-context';
import { AppState } from '../state/app-state';
import type { LocalConversation } from '../state/types';
import { FakeCourier } from './fake-courier';
import { ME } from './fixtures';

/** Component tests of the timeline and message text: a real AppState over a FakeCourier, signed in as ME. */
export async function timelineApp(o: { conversations?: LocalConversation[]; fake?: FakeCourier } = {}): Promise<{ app: AppState; fake: FakeCourier }> {
  const fake = (o.fake ?? new FakeCourier())
    .handle('session.get', () => ({
      account: { serverUrl: 'http://127.0.0.1:1', userId: ME, username: 'me', displayName: 'Mia Example', sessionId: 's1' },
      connection: { status: 'online', attempt: 0, nextRetryAt: null, error: null },
      outbox: { pending: 0, failed: 0 },
      presence: [],
    }))
    .handle('settings.get', () => ({ notifications: true, notificationsPaused: false, status: 'online', startAtLogin: false, closeToTray: true, theme: 'light', lastServerUrl: null }))
    .handle('conversations.list', () => o.conversations ?? [])
    .handle('conversation.setActive', () => null);
  const bridge: CourierBridge = {
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
  const app = new AppState(bridge);
  await app.start();
  for (let i = 0; i < 5 && !app.conversations.getSnapshot().loaded; i++) await new Promise((r) => setTimeout(r, 0));
  return { app, fake };
}

export function renderInApp(app: AppState, ui: ReactElement): RenderResult {
  // A wrapper (not a parent element) so that rerender() keeps the context.
  return render(ui, { wrapper: ({ children }) => <AppContext.Provider value={app}>{children}</AppContext.Provider> });
}
