import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { buildRenderer } from './harness/build-renderer';
import { launchBrowser, startUser, type HarnessUser, type StartUserOptions } from './harness/harness';

export interface E2ESession<S> {
  readonly browser: Browser;
  readonly server: S;
  /** A user with their own engine, profile and page, offered this server; closed after the test. */
  user(name: string, o?: Omit<StartUserOptions, 'browser' | 'name'>): Promise<HarnessUser>;
}

/**
 * The life of an E2E test file: one Chromium and one server for the file, the renderer
 * built once, each test's users closed after it and (unless `allowPageErrors`) checked to
 * have logged no error and thrown nothing.
 */
export function e2eSession<S extends { url: string; stop(): Promise<void> }>(startServer: () => Promise<S>, o: { allowPageErrors?: boolean } = {}): E2ESession<S> {
  let browser: Browser | undefined;
  let server: S | undefined;
  const users = new Set<HarnessUser>();

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer(), buildRenderer()]);
  }, 180_000);

  afterEach(async () => {
    const open = [...users];
    users.clear();
    try {
      if (!o.allowPageErrors) for (const u of open) expect(u.pageErrors, `${u.name}'s page errors`).toEqual([]);
    } finally {
      await Promise.all(open.map((u) => u.close()));
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get browser() {
      if (!browser) throw new Error('e2eSession: the browser starts in beforeAll');
      return browser;
    },
    get server() {
      if (!server) throw new Error('e2eSession: the server starts in beforeAll');
      return server;
    },
    async user(name, options = {}) {
      const started = await startUser({ browser: this.browser, name, serverUrl: this.server.url, ...options });
      users.add(started);
      const close = started.close;
      // A test may close a user itself (someone quits the app); then the session does not again.
      started.close = async () => {
        users.delete(started);
        await close();
      };
      return started;
    },
  };
}
