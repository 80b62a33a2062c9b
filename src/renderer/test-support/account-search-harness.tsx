import type { RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { AppState } from '../state/app-state';
import type { Account, LocalConversation, Settings } from '../state/types';
import { fakeApp, renderWithApp, startApp, TEST_SETTINGS, type FakeAppOptions } from './app-harness';
import type { FakeCourier } from './fake-courier';
import { ME } from './fixtures';

/** Component-test set-up for the sign-in screen, settings and search panels: a server with a host name, theme "system". */

export const SIGNED_IN: Account = { serverUrl: 'https://chat.example.com', userId: ME, username: 'me', displayName: 'Me Myself', sessionId: 's_here' };

export const SETTINGS: Settings = { ...TEST_SETTINGS, theme: 'system' };

/** A FakeCourier answering what AppState.start() asks; tests add or replace handlers before `renderApp`. */
export function fakeCourier(o: { account?: Account | null; settings?: Partial<Settings>; conversations?: LocalConversation[] } & Pick<FakeAppOptions, 'blocked' | 'privacy'> = {}): FakeCourier {
  return fakeApp({ ...o, account: o.account === undefined ? SIGNED_IN : o.account, settings: { ...SETTINGS, ...o.settings } });
}

/** Starts an AppState on the fake (session, settings and conversations loaded), then renders `ui` inside it. */
export async function renderApp(fake: FakeCourier, ui: ReactElement): Promise<{ app: AppState } & RenderResult> {
  const app = await startApp(fake);
  return { app, ...renderWithApp(app, ui) };
}
