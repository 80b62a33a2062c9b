import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CourierBridge } from '../../src/shared/ipc';
import { PASSWORD } from '../helpers/child-courier';
import { startTestServer, type TestServer } from '../helpers/server';
import { BRIDGE_PATH } from './harness/bridge-protocol';
import { buildRenderer } from './harness/build-renderer';
import { checkA11y, launchBrowser, screenshot, startUser, type HarnessUser } from './harness/harness';

/**
 * The harness itself, against a real server, a real SQLite profile per user and real
 * Chromium. Nothing here depends on what the app's UI shows: the renderer is being written
 * alongside, so these tests look only at `window.courier`, the transport and the page's policy.
 */

// page.evaluate bodies run in the page; this project is typechecked without DOM types.
type PageGlobals = { courier: CourierBridge } & Record<string, unknown>;
type Storage = { localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void } };

let browser: Browser;
let server: TestServer;
const users: HarnessUser[] = [];

beforeAll(async () => {
  // The first run builds the renderer; later test files reuse the build.
  [browser, server] = await Promise.all([launchBrowser(), startTestServer(), buildRenderer()]);
}, 180_000);

afterEach(async () => {
  await Promise.all(users.splice(0).map((u) => u.close()));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function user(name: string): Promise<HarnessUser> {
  const started = await startUser({ browser, name, serverUrl: server.url });
  users.push(started);
  return started;
}

it('launchBrowser says how to install Chromium when it is missing', async () => {
  await expect(launchBrowser({ executablePath: '/nonexistent/chromium' })).rejects.toThrow('apt-get update && apt-get install -y chromium');
});

describe('window.courier in the page', () => {
  it('is a frozen bridge with app facts and nothing else', async () => {
    const alice = await user('alice');
    const bridge = await alice.page.evaluate(() => {
      const courier = (globalThis as unknown as PageGlobals).courier;
      return { keys: Object.keys(courier).sort(), frozen: Object.isFrozen(courier), app: courier.app };
    });
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(bridge).toEqual({
      keys: ['app', 'invoke', 'on'],
      frozen: true,
      app: { platform: 'linux', versions: { app: version, electron: 'browser harness', chrome: expect.stringMatching(/^\d+\./), node: process.versions.node } },
    });
    expect(alice.pageErrors).toEqual([]);
  });

  it('answers invoke through the real core', async () => {
    const alice = await user('alice');
    const result = await alice.page.evaluate(() => (globalThis as unknown as PageGlobals).courier.invoke('session.get', null));
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ account: null, connection: expect.objectContaining({ status: 'signedOut' }) }) });
    // The same answer as dispatching in Node: one table, two transports.
    expect(result).toEqual(await alice.core.dispatch('session.get', null));
  });

  it('delivers the core’s events to listeners registered with on()', async () => {
    const bob = await user('bob');
    await bob.page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      const seen: unknown[] = [];
      g['seenAccounts'] = seen;
      g.courier.on('account', (account) => seen.push(account));
      g.courier.on('connection', (state) => {
        if (state.status === 'online') g['wentOnline'] = true;
      });
    });
    const account = await bob.call('session.register', { serverUrl: server.url, username: 'bob', password: PASSWORD });
    await bob.page.waitForFunction(() => (globalThis as unknown as PageGlobals)['wentOnline'] === true);
    const seen = await bob.page.evaluate(() => (globalThis as unknown as PageGlobals)['seenAccounts']);
    expect(seen).toEqual([account]);
    expect(account.username).toBe('bob');
    const fromPage = await bob.page.evaluate(() => (globalThis as unknown as PageGlobals).courier.invoke('session.get', null));
    expect(fromPage).toMatchObject({ ok: true, value: { account: { userId: account.userId } } });
  });

  it('answers an unknown method with the unknown_method envelope, in the page and at the core', async () => {
    const alice = await user('alice');
    const inPage = await alice.page.evaluate(() => (globalThis as unknown as PageGlobals).courier.invoke('no.such' as 'session.get', null));
    expect(inPage).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    // Past the page's own check, over the socket, the core answers the same.
    const socket = await bridgeSocket(alice);
    socket.send(JSON.stringify({ t: 'call', id: 7, method: 'no.such', params: null }));
    expect(await nextFrame(socket)).toMatchObject({ t: 'result', id: 7, result: { ok: false, error: { code: 'unknown_method' } } });
    socket.close();
    await expect(alice.call('no.such' as 'session.get', null)).rejects.toThrow(/unknown_method/);
  });

  it('resolves pending and later calls with an error envelope when the bridge closes', async () => {
    const alice = await user('alice');
    const hang = await hangingServer();
    try {
      await alice.page.evaluate(() => (globalThis as unknown as PageGlobals).courier.invoke('session.get', null));
      await alice.page.evaluate((serverUrl) => {
        const g = globalThis as unknown as PageGlobals;
        g['pending'] = g.courier.invoke('server.info', { serverUrl });
      }, hang.url);
      await hang.connected; // the call is inside the core, waiting for the server
      alice.renderer.disconnectPages();
      const closed = { ok: false, error: { code: 'internal', message: 'The harness bridge closed.' } };
      expect(await alice.page.evaluate(() => (globalThis as unknown as PageGlobals)['pending'])).toEqual(closed);
      expect(await alice.page.evaluate(() => (globalThis as unknown as PageGlobals).courier.invoke('session.get', null))).toEqual(closed);
    } finally {
      await hang.close();
    }
  });
});

describe('the bridge socket', () => {
  it('refuses another origin', async () => {
    const alice = await user('alice');
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${alice.url.replace(/^http/, 'ws').replace(/\/$/, '')}${BRIDGE_PATH}`, { origin: 'http://127.0.0.1:1' });
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('a foreign origin was let in')));
      ws.once('error', () => {});
    });
    expect(status).toBe(403);
  });

  it('does not replay the core’s latest state to a new page, as main never does', async () => {
    const alice = await user('alice');
    const frames: Array<Record<string, unknown>> = [];
    const socket = await bridgeSocket(alice, (frame) => frames.push(frame));
    socket.send(JSON.stringify({ t: 'call', id: 1, method: 'session.get', params: null }));
    await nextFrame(socket);
    expect(frames.map((f) => f['t'])).toEqual(['result']);
    socket.close();
  });

  it('closes on a frame that does not parse', async () => {
    const alice = await user('alice');
    const socket = await bridgeSocket(alice);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('{"t":"call","id":"one"}');
    expect(await closed).toBe(1008);
  });
});

describe('the served page', () => {
  it('keeps the shipped Content-Security-Policy, plus only the bridge socket', async () => {
    const carol = await user('carol');
    const shipped = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(readFileSync(join(await buildRenderer(), 'index.html'), 'utf8'))?.[1];
    const served = await carol.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    const port = new URL(carol.url).port;
    expect(shipped).toMatch(/default-src 'self'/);
    expect(served).toBe(`${shipped}; connect-src 'self' ws://127.0.0.1:${port}`);
  });

  it('refuses inline scripts and connections to other origins', async () => {
    const carol = await user('carol');
    const other = await countingServer();
    try {
      await carol.page.addScriptTag({ content: 'globalThis.inlineRan = true;' }).catch(() => {});
      const fetched = await carol.page.evaluate((url) => fetch(url).then(() => 'loaded', () => 'refused'), other.url);
      expect(await carol.page.evaluate(() => (globalThis as unknown as PageGlobals)['inlineRan'])).toBeUndefined();
      expect(fetched).toBe('refused');
      // Refused by the policy, not by a dead server: the request never left the page.
      expect(other.requests()).toBe(0);
      expect(carol.pageErrors).toEqual([
        expect.stringMatching(/inline script violates the following Content Security Policy directive 'script-src 'self''/),
        expect.stringMatching(/Connecting to 'http:\/\/127\.0\.0\.1:\d+\/' violates the following Content Security Policy directive: "connect-src /),
        expect.stringMatching(/Fetch API cannot load .* Refused to connect because it violates the document's Content Security Policy/),
      ]);
    } finally {
      await other.close();
    }
  });

  it('gives each user an own origin, storage and core', async () => {
    const [alice, bob] = await Promise.all([user('alice'), user('bob')]);
    expect(new URL(alice.url).origin).not.toBe(new URL(bob.url).origin);
    expect(alice.profileDir).not.toBe(bob.profileDir);
    await alice.page.evaluate(() => (globalThis as unknown as Storage).localStorage.setItem('who', 'alice'));
    expect(await bob.page.evaluate(() => (globalThis as unknown as Storage).localStorage.getItem('who'))).toBeNull();
    await alice.call('session.register', { serverUrl: server.url, username: 'alice', password: PASSWORD });
    const bobSession = await bob.page.evaluate(() => (globalThis as unknown as PageGlobals).courier.invoke('session.get', null));
    expect(bobSession).toMatchObject({ ok: true, value: { account: null } });
  });

  it('has no serious accessibility violations and can be photographed', async () => {
    const alice = await user('alice');
    expect(await checkA11y(alice.page, 'harness page')).toEqual([]);
    const path = await screenshot(alice.page, 'harness/first page');
    expect(path).toMatch(/test-results[/\\]screenshots[/\\]harness-first-page\.png$/);
    expect(existsSync(path)).toBe(true);
    expect(alice.pageErrors).toEqual([]);
  });

  it('checkA11y reports a serious violation with its rule and target', async () => {
    const alice = await user('alice');
    await alice.page.locator('body').evaluate((body) => body.insertAdjacentHTML('beforeend', '<img id="harness-no-alt" src="data:,">'));
    expect(await checkA11y(alice.page, 'planted')).toEqual([expect.stringMatching(/^planted: image-alt \(critical\): .*#harness-no-alt/)]);
  });
});

/** A socket to the user's bridge as their page would open it; `onFrame` sees every frame from the first. */
function bridgeSocket(u: HarnessUser, onFrame: (frame: Record<string, unknown>) => void = () => {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${u.renderer.port}${BRIDGE_PATH}`, { origin: `http://127.0.0.1:${u.renderer.port}` });
  ws.on('message', (data) => onFrame(JSON.parse(String(data)) as Record<string, unknown>));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The next result frame (events may arrive first and are skipped). */
function nextFrame(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      if (frame['t'] !== 'result') return;
      ws.off('message', onMessage);
      resolve(frame);
    };
    ws.on('message', onMessage);
  });
}

/** An HTTP server that would answer any origin (CORS *), counting what reaches it. */
async function countingServer(): Promise<{ url: string; requests(): number; close(): Promise<void> }> {
  let count = 0;
  const http: Server = createHttpServer((_req, res) => {
    count++;
    res.writeHead(200, { 'access-control-allow-origin': '*' }).end('ok');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    requests: () => count,
    close: () => new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    }),
  };
}

/** A TCP server that accepts and never answers: a call to it stays pending until close(). */
async function hangingServer(): Promise<{ url: string; connected: Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let onConnect = () => {};
  const connected = new Promise<void>((resolve) => (onConnect = resolve));
  const tcp = createTcpServer((socket) => {
    sockets.add(socket);
    onConnect();
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const { port } = tcp.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connected,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      tcp.close(() => resolve());
    }),
  };
}
