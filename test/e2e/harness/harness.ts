import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startUserBackend, unwind, type UserBackend } from './user-backend';

/**
 * The test-facing API of the browser harness: the built renderer in headless Chromium, one
 * browser context per simulated user, each page's `window.courier` served by that user's
 * real DesktopCore over a local WebSocket (see docs/testing.md). Electron is not involved;
 * only the transport differs from the shipped app.
 */
export { checkA11y } from './a11y';
export { screenshot } from './screenshot';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, and nothing that reaches out on its own: tests must not depend on the network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Headless Chromium; fails (never skips) with how to install it when the executable is missing. */
export async function launchBrowser(o: { executablePath?: string } = {}): Promise<Browser> {
  const executablePath = o.executablePath ?? CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw new Error(
      `The browser E2E tests need Debian's Chromium at ${executablePath}, which is missing. ` +
        'Install it with: apt-get update && apt-get install -y chromium',
    );
  }
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
}

export interface StartUserOptions {
  browser: Browser;
  /** Used in the profile folder's name, the device name and error messages. */
  name: string;
  /** The server the sign-in screen offers first (DesktopCoreOptions.defaultServerUrl). */
  serverUrl?: string;
  colorScheme?: 'light' | 'dark';
  /** 1280×800 unless given. */
  viewport?: { width: number; height: number };
}

export interface HarnessUser extends UserBackend {
  context: BrowserContext;
  /** The app's page, loaded. */
  page: Page;
  /** Uncaught page errors and console.error messages, in order: tests assert it stays empty. */
  pageErrors: string[];
  /** Closes the browser context, the renderer server and the core, and removes the profile. */
  close(): Promise<void>;
}

export async function startUser(o: StartUserOptions): Promise<HarnessUser> {
  const backend = await startUserBackend({ name: o.name, ...(o.serverUrl === undefined ? {} : { serverUrl: o.serverUrl }) });
  const stack: Array<() => Promise<void>> = [() => backend.close()];
  try {
    const context = await o.browser.newContext({
      viewport: o.viewport ?? { width: 1280, height: 800 },
      deviceScaleFactor: 1,
      colorScheme: o.colorScheme ?? 'light',
    });
    stack.push(() => context.close());
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.stack ?? error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console.error: ${message.text()}`);
    });
    await page.goto(backend.url, { waitUntil: 'load' });
    return { ...backend, context, page, pageErrors, close: () => unwind(stack) };
  } catch (error) {
    await unwind(stack).catch(() => {});
    throw error;
  }
}
