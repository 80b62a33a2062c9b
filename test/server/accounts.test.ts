import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CourierSocket } from '../../src/client';
import { createLogger } from '../../src/server/logger';
import { API_PREFIX, AuthResponseSchema, CLOSE, HttpErrorBodySchema, type Tokens } from '../../src/shared/protocol';
import { rawClient, serverPerTest, syncAll, type TestServer } from '../helpers/server';

const start = serverPerTest();

interface Reply {
  status: number;
  headers: Headers;
  json: unknown;
}

/** A raw HTTP call, for statuses and headers the client library does not expose. */
async function call(s: TestServer, method: string, path: string, o: { body?: unknown; raw?: string; token?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (o.body !== undefined || o.raw !== undefined) headers['content-type'] = 'application/json';
  if (o.token) headers['authorization'] = `Bearer ${o.token}`;
  const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  const res = await fetch(`${s.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

function errorOf(reply: Reply) {
  return HttpErrorBodySchema.parse(reply.json).error;
}

/** Resolves with the close code of a socket and how long after `since` it came; rejects after 3 s. */
function closeOf(socket: CourierSocket, since: () => number) {
  return new Promise<{ code: number; afterMs: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the socket was not closed')), 3000);
    socket.onClose((code) => {
      clearTimeout(timer);
      resolve({ code, afterMs: Date.now() - since() });
    });
  });
}

/** What an upgrade with this access token gets: 'ready', or the refusal's HTTP status. */
async function upgradeWith(s: TestServer, token: string): Promise<'ready' | number> {
  try {
    const client = await rawClient(s, { token });
    await client.next((f) => f['type'] === 'ready', 2000);
    client.ws.close();
    return 'ready';
  } catch (error) {
    return (error as { status?: number }).status ?? -1;
  }
}

const PASSWORD = 'correct horse battery';

describe('registration', () => {
  it('creates an account with 201, lowercases the username and refuses a taken one with 409 in any case', async () => {
    const s = await start();
    const reply = await call(s, 'POST', `${API_PREFIX}/auth/register`, { body: { username: 'Alice.B-1_x', password: PASSWORD, deviceName: 'laptop' } });
    expect(reply.status).toBe(201);
    const auth = AuthResponseSchema.parse(reply.json);
    expect(auth.user).toMatchObject({ username: 'alice.b-1_x', displayName: null });
    expect(auth.tokens.accessExpiresAt).toBeGreaterThan(Date.now());

    const again = await call(s, 'POST', `${API_PREFIX}/auth/register`, { body: { username: 'ALICE.b-1_X', password: PASSWORD } });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('username_taken');
    await expect(s.http.register({ username: 'alice.b-1_x', password: PASSWORD })).rejects.toMatchObject({ code: 'username_taken', status: 409 });
  });

  it.each([
    ['too short', 'ab'],
    ['too long', 'a'.repeat(33)],
    ['starting with _', '_alice'],
    ['starting with .', '.alice'],
    ['with a space', 'al ice'],
    ['with a non-ASCII letter', 'alïce'],
    ['with a slash', 'al/ice'],
    ['empty', ''],
  ])('refuses a username %s with 400 invalid_request', async (_name, username) => {
    const s = await start();
    const reply = await call(s, 'POST', `${API_PREFIX}/auth/register`, { body: { username, password: PASSWORD } });
    expect(reply.status).toBe(400);
    expect(errorOf(reply)).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('username') });
  });

  it('refuses a short password, a missing field and a body that is not JSON with 400', async () => {
    const s = await start();
    for (const body of [{ username: 'bobby', password: 'short' }, { username: 'bobby' }, 'bobby', [1, 2]]) {
      const reply = await call(s, 'POST', `${API_PREFIX}/auth/register`, { body });
      expect(reply.status).toBe(400);
      expect(errorOf(reply).code).toBe('invalid_request');
    }
    const broken = await call(s, 'POST', `${API_PREFIX}/auth/register`, { raw: '{"username":"bobby",' });
    expect(broken.status).toBe(400);
    expect(errorOf(broken).code).toBe('invalid_request');
    // Nothing was created along the way.
    await expect(s.http.register({ username: 'bobby', password: PASSWORD })).resolves.toMatchObject({ user: { username: 'bobby' } });
  });

  it('is refused with 403 registration_closed when the server is configured closed; admin-made users still log in', async () => {
    const s = await start({ registrationOpen: false });
    expect((await s.http.serverInfo()).registrationOpen).toBe(false);
    const reply = await call(s, 'POST', `${API_PREFIX}/auth/register`, { body: { username: 'carol', password: PASSWORD } });
    expect(reply.status).toBe(403);
    expect(errorOf(reply).code).toBe('registration_closed');
    await expect(s.http.login({ username: 'carol', password: PASSWORD })).rejects.toMatchObject({ code: 'invalid_credentials' });

    await s.auth.createUser('carol', PASSWORD, null);
    await expect(s.http.login({ username: 'carol', password: PASSWORD })).resolves.toMatchObject({ user: { username: 'carol' } });
  });
});

describe('login', () => {
  it('accepts the right password (any username case) and gives the same 401 for a wrong password and an unknown user', async () => {
    const s = await start();
    const alice = await s.user('alice');
    const ok = await s.http.login({ username: 'ALICE', password: alice.password, deviceName: 'phone' });
    expect(ok.user.id).toBe(alice.user.id);
    expect(ok.tokens.sessionId).not.toBe(alice.tokens.sessionId);

    const wrong = await call(s, 'POST', `${API_PREFIX}/auth/login`, { body: { username: 'alice', password: 'not the password' } });
    const unknown = await call(s, 'POST', `${API_PREFIX}/auth/login`, { body: { username: 'nobody-here', password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(errorOf(wrong)).toEqual({ code: 'invalid_credentials', message: expect.any(String) });
    expect(unknown.json).toEqual(wrong.json); // the reply does not tell whether the user exists
  });

  it('limits attempts per IP address with 429 rate_limited and a retry-after header, and recovers with time', async () => {
    let fakeNow = Date.now();
    const s = await start({}, { now: () => fakeNow });
    const statuses: number[] = [];
    let limited: Reply | null = null;
    // A different account each time: this is the per-address budget, not the per-account one.
    for (let i = 0; i < 25 && !limited; i++) {
      const reply = await call(s, 'POST', `${API_PREFIX}/auth/login`, { body: { username: `mallory${i}`, password: `guess number ${i}` } });
      statuses.push(reply.status);
      if (reply.status === 429) limited = reply;
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401)); // the burst
    expect(limited).not.toBeNull();
    expect(errorOf(limited!)).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Registration shares the budget: an attacker cannot switch endpoints.
    expect((await call(s, 'POST', `${API_PREFIX}/auth/register`, { body: { username: 'mallory', password: PASSWORD } })).status).toBe(429);

    // Another address is not affected (all of 127.0.0.0/8 is loopback on Linux).
    expect(await postFrom(s, '127.0.0.2', `${API_PREFIX}/auth/login`, { username: 'mallory', password: 'x' })).toBe(401);

    fakeNow += 1000; // one token per second
    expect((await call(s, 'POST', `${API_PREFIX}/auth/login`, { body: { username: 'mallory-a', password: 'again' } })).status).toBe(401);
    expect((await call(s, 'POST', `${API_PREFIX}/auth/login`, { body: { username: 'mallory-b', password: 'again' } })).status).toBe(429);
  });
});

/** POSTs JSON from a chosen local address; resolves with the status. */
function postFrom(s: TestServer, localAddress: string, path: string, body: unknown): Promise<number> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${s.url}${path}`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

describe('refresh tokens', () => {
  it('rotate: each refresh token works exactly once and the new access token works', async () => {
    const s = await start();
    const alice = await s.user();
    const t2 = await s.http.refresh(alice.tokens.refreshToken);
    expect(t2.sessionId).toBe(alice.tokens.sessionId);
    expect(t2.refreshToken).not.toBe(alice.tokens.refreshToken);
    expect(t2.accessToken).not.toBe(alice.tokens.accessToken);
    const t3 = await s.http.refresh(t2.refreshToken);
    expect(t3.sessionId).toBe(alice.tokens.sessionId);
    expect(await upgradeWith(s, t3.accessToken)).toBe('ready');
    expect(await s.http.sessions(t3.accessToken)).toHaveLength(1);
    // A token the server never issued is refused, and revokes nothing.
    await expect(s.http.refresh('never-issued-token')).rejects.toMatchObject({ code: 'auth_invalid', status: 401 });
    await expect(s.http.refresh(t3.refreshToken)).resolves.toMatchObject({ sessionId: alice.tokens.sessionId });
  });

  it('reusing a spent refresh token revokes the whole session: 401, its sockets close with 4003, its tokens die; other devices live on', async () => {
    const s = await start();
    const alice = await s.user();
    const t2 = await s.http.refresh(alice.tokens.refreshToken);
    const t3 = await s.http.refresh(t2.refreshToken);
    const first = await alice.connect(); // authenticated with the first access token
    const latest = await CourierSocket.connect({ serverUrl: s.url, accessToken: t3.accessToken });
    const phone = await s.http.login({ username: alice.name, password: alice.password, deviceName: 'phone' });
    const phoneSocket = await CourierSocket.connect({ serverUrl: s.url, accessToken: phone.tokens.accessToken });
    let reusedAt = Infinity;
    const firstClosed = closeOf(first, () => reusedAt);
    const latestClosed = closeOf(latest, () => reusedAt);
    const phoneCloses: number[] = [];
    phoneSocket.onClose((code) => phoneCloses.push(code));

    reusedAt = Date.now();
    // The first token: its successor (t2's) was used, so this is a copy, not a lost answer
    // (presenting t2's again, its successor t3's still unused, would replay; see revocation.test.ts).
    const reply = await call(s, 'POST', `${API_PREFIX}/auth/refresh`, { body: { refreshToken: alice.tokens.refreshToken } });
    expect(reply.status).toBe(401);
    expect(errorOf(reply).code).toBe('auth_invalid');
    for (const closed of [await firstClosed, await latestClosed]) {
      expect(closed.code).toBe(CLOSE.sessionRevoked);
      expect(closed.afterMs).toBeLessThan(1000);
    }
    await expect(s.http.sessions(t3.accessToken)).rejects.toMatchObject({ code: 'auth_invalid', status: 401 });
    expect(await upgradeWith(s, t3.accessToken)).toBe(401);
    await expect(s.http.refresh(t3.refreshToken)).rejects.toMatchObject({ code: 'auth_invalid' });

    expect(phoneCloses).toEqual([]);
    expect(phoneSocket.isOpen).toBe(true);
    await expect(phoneSocket.request('conversation.list', {})).resolves.toEqual({ conversations: [] });
    const sessions = await s.http.sessions(phone.tokens.accessToken);
    expect(sessions.map((x) => x.id)).toEqual([phone.tokens.sessionId]);
    await phoneSocket.close();
  });
});

describe('secrets at rest', () => {
  it('keeps passwords and refresh tokens only as hashes, and access tokens not at all', async () => {
    const s = await start();
    const alice = await s.user();
    const rotated = await s.http.refresh(alice.tokens.refreshToken);
    const phone = await s.http.login({ username: alice.name, password: alice.password });
    const secrets = [alice.password, alice.tokens.refreshToken, rotated.refreshToken, phone.tokens.refreshToken, alice.tokens.accessToken, rotated.accessToken];
    const files = readdirSync(s.dataDir).filter((f) => f.startsWith('courier.db'));
    expect(files).toContain('courier.db');
    const stored = files.map((f) => readFileSync(join(s.dataDir, f)).toString('latin1')).join('');
    expect(stored).toContain(alice.user.id); // the files do hold the account
    for (const secret of secrets) expect(stored).not.toContain(secret);
  });
});

describe('sessions', () => {
  async function twoDevices(s: TestServer) {
    const alice = await s.user(undefined, 'laptop');
    const phone = await s.http.login({ username: alice.name, password: alice.password, deviceName: 'phone' });
    const laptopSocket = await alice.connect();
    const phoneSockets = [
      await CourierSocket.connect({ serverUrl: s.url, accessToken: phone.tokens.accessToken }),
      await CourierSocket.connect({ serverUrl: s.url, accessToken: phone.tokens.accessToken, auth: 'frame' }),
    ];
    return { alice, laptop: alice.tokens, phone: phone.tokens, laptopSocket, phoneSockets };
  }

  it('lists one session per device, marking the caller’s own as current', async () => {
    const s = await start();
    const { laptop, phone } = await twoDevices(s);
    const fromLaptop = await s.http.sessions(laptop.accessToken);
    const fromPhone = await s.http.sessions(phone.accessToken);
    expect(fromLaptop.map((x) => [x.id, x.deviceName, x.current])).toEqual([
      [laptop.sessionId, 'laptop', true],
      [phone.sessionId, 'phone', false],
    ]);
    expect(fromPhone.map((x) => [x.id, x.current])).toEqual([
      [laptop.sessionId, false],
      [phone.sessionId, true],
    ]);
    const noToken = await call(s, 'GET', `${API_PREFIX}/sessions`);
    expect(noToken.status).toBe(401);
    expect(errorOf(noToken).code).toBe('auth_required');
  });

  it('logout closes that device’s sockets at once with 4003 and not the other device’s', async () => {
    const s = await start();
    const { laptop, phone, laptopSocket, phoneSockets } = await twoDevices(s);
    let loggedOutAt = Infinity;
    const closes = phoneSockets.map((socket) => closeOf(socket, () => loggedOutAt));
    const laptopCloses: number[] = [];
    laptopSocket.onClose((code) => laptopCloses.push(code));

    loggedOutAt = Date.now();
    const reply = await call(s, 'POST', `${API_PREFIX}/auth/logout`, { token: phone.accessToken });
    expect(reply.status).toBe(204);
    for (const closed of await Promise.all(closes)) {
      expect(closed.code).toBe(CLOSE.sessionRevoked);
      expect(closed.afterMs).toBeLessThan(1000);
    }
    await expect(s.http.sessions(phone.accessToken)).rejects.toMatchObject({ code: 'auth_invalid' });
    await expect(s.http.refresh(phone.refreshToken)).rejects.toMatchObject({ code: 'auth_invalid' });
    expect(await upgradeWith(s, phone.accessToken)).toBe(401);

    expect(laptopCloses).toEqual([]);
    await expect(syncAll(laptopSocket)).resolves.toBeTruthy();
    expect((await s.http.sessions(laptop.accessToken)).map((x) => x.id)).toEqual([laptop.sessionId]);
  });

  it('revoking another session closes its sockets at once; nobody can revoke a session of someone else', async () => {
    const s = await start();
    const { laptop, phone, laptopSocket, phoneSockets } = await twoDevices(s);
    const bob = await s.user();
    const bobSocket = await bob.connect();

    // Bob knows Alice's session id (ids are not secrets); it must not help him.
    const foreign = await call(s, 'DELETE', `${API_PREFIX}/sessions/${phone.sessionId}`, { token: bob.tokens.accessToken });
    const missing = await call(s, 'DELETE', `${API_PREFIX}/sessions/s_doesnotexist0000`, { token: bob.tokens.accessToken });
    expect(foreign.status).toBe(404);
    expect(foreign.json).toEqual(missing.json);
    expect(phoneSockets.every((x) => x.isOpen)).toBe(true);

    let revokedAt = Infinity;
    const closes = phoneSockets.map((socket) => closeOf(socket, () => revokedAt));
    revokedAt = Date.now();
    await s.http.revokeSession(laptop.accessToken, phone.sessionId);
    for (const closed of await Promise.all(closes)) {
      expect(closed.code).toBe(CLOSE.sessionRevoked);
      expect(closed.afterMs).toBeLessThan(1000);
    }
    await expect(s.http.sessions(phone.accessToken)).rejects.toMatchObject({ code: 'auth_invalid' });
    await expect(s.http.revokeSession(laptop.accessToken, phone.sessionId)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(laptopSocket.isOpen).toBe(true);
    expect(bobSocket.isOpen).toBe(true);
    expect((await s.http.sessions(laptop.accessToken)).map((x) => x.id)).toEqual([laptop.sessionId]);
  });
});

describe('access tokens', () => {
  it('expire after their lifetime (fake clock); a refresh brings a working one', async () => {
    let fakeNow = Date.now();
    const s = await start({ accessTokenTtlMs: 30_000 }, { now: () => fakeNow });
    const alice = await s.user();
    expect(alice.tokens.accessExpiresAt).toBe(fakeNow + 30_000);
    fakeNow += 29_999;
    expect(await upgradeWith(s, alice.tokens.accessToken)).toBe('ready');
    await expect(s.http.sessions(alice.tokens.accessToken)).resolves.toHaveLength(1);

    fakeNow += 1;
    expect(await upgradeWith(s, alice.tokens.accessToken)).toBe(401);
    await expect(s.http.sessions(alice.tokens.accessToken)).rejects.toMatchObject({ code: 'auth_invalid', status: 401 });
    await expect(CourierSocket.connect({ serverUrl: s.url, accessToken: alice.tokens.accessToken, auth: 'frame' })).rejects.toThrow(
      String(CLOSE.authInvalid),
    );

    const fresh: Tokens = await s.http.refresh(alice.tokens.refreshToken);
    expect(fresh.accessExpiresAt).toBe(fakeNow + 30_000);
    expect(await upgradeWith(s, fresh.accessToken)).toBe('ready');
  });

  it('a forged token (tampered signature or payload, foreign key, garbage) is refused at the upgrade with 401', async () => {
    const s = await start();
    const alice = await s.user();
    const bob = await s.user();
    const token = alice.tokens.accessToken;
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string; sid: string; exp: number };
    const encode = (c: object) => Buffer.from(JSON.stringify(c)).toString('base64url');
    // Flip a character in the middle: the last base64url character carries padding bits.
    const mid = Math.floor(signature.length / 2);
    const flipped = `${signature.slice(0, mid)}${signature[mid] === 'A' ? 'B' : 'A'}${signature.slice(mid + 1)}`;
    const forgeries = {
      'tampered signature': `${payload}.${flipped}`,
      'someone else’s identity': `${encode({ ...claims, sub: bob.user.id })}.${signature}`,
      'a later expiry': `${encode({ ...claims, exp: claims.exp + 3_600_000 })}.${signature}`,
      'no signature': `${payload}.`,
      'payload only': payload,
      'signature of another token': `${payload}.${bob.tokens.accessToken.split('.')[1]}`,
      garbage: 'not-a-token',
    };
    for (const [name, forged] of Object.entries(forgeries)) {
      expect([name, await upgradeWith(s, forged)]).toEqual([name, 401]);
      const reply = await call(s, 'GET', `${API_PREFIX}/sessions`, { token: forged });
      expect([name, reply.status, errorOf(reply).code]).toEqual([name, 401, 'auth_invalid']);
    }
    expect(s.connectionCount()).toBe(0);
    expect(await upgradeWith(s, token)).toBe('ready'); // the genuine one still works
  });
});

describe('operations endpoints and limits', () => {
  it('/healthz answers ok and the metrics listener counts connections and stored messages', async () => {
    const s = await start();
    const health = await call(s, 'GET', '/healthz');
    expect(health).toMatchObject({ status: 200, json: { status: 'ok' } });

    const alice = await s.user();
    const bob = await s.user();
    const a = await alice.connect();
    await bob.connect();
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    await a.send(conversation.id, 'one');
    await a.send(conversation.id, 'two');
    const res = await fetch(s.metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^courier_connections 2$/m);
    expect(text).toMatch(/^courier_messages_total 2$/m);
  });

  it('refuses bodies over the 16 KiB limit with 413 too_large', async () => {
    const s = await start();
    const big = { username: 'bigbody', password: 'x'.repeat(200), displayName: 'y'.repeat(17 * 1024) };
    const reply = await call(s, 'POST', `${API_PREFIX}/auth/register`, { body: big });
    expect(reply.status).toBe(413);
    expect(errorOf(reply).code).toBe('too_large');
    const login = await call(s, 'POST', `${API_PREFIX}/auth/login`, { body: { username: 'bigbody', password: 'p'.repeat(20_000) } });
    expect(login.status).toBe(413);
    expect(errorOf(login).code).toBe('too_large');
  });

  it('never writes tokens, passwords or message bodies to the log, even at trace level', async () => {
    const lines: string[] = [];
    const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
    const s = await start({}, { logger });
    const secrets: string[] = [];
    const alice = await s.user('logalice');
    const bob = await s.user('logbob');
    secrets.push(alice.password, alice.tokens.accessToken, alice.tokens.refreshToken, bob.tokens.accessToken, bob.tokens.refreshToken);
    const login = await s.http.login({ username: 'logalice', password: alice.password });
    secrets.push(login.tokens.accessToken, login.tokens.refreshToken);
    const refreshed = await s.http.refresh(login.tokens.refreshToken);
    secrets.push(refreshed.accessToken, refreshed.refreshToken);

    const wrongPassword = 'wrong-password-4b1d';
    await expect(s.http.login({ username: 'logalice', password: wrongPassword })).rejects.toMatchObject({ code: 'invalid_credentials' });
    const brokenJson = 'leaked-from-broken-json-91c2';
    await call(s, 'POST', `${API_PREFIX}/auth/login`, { raw: `{"username":"logalice","password":"${brokenJson}` });
    const badPassword = 'short7';
    await call(s, 'POST', `${API_PREFIX}/auth/register`, { body: { username: 'logcarol', password: badPassword } });
    secrets.push(wrongPassword, brokenJson);

    const a = await CourierSocket.connect({ serverUrl: s.url, accessToken: refreshed.accessToken });
    const b = await CourierSocket.connect({ serverUrl: s.url, accessToken: bob.tokens.accessToken, auth: 'frame' });
    await syncAll(b); // live events flow after the first catch-up
    const forged = `${refreshed.accessToken.slice(0, -8)}AAAAAAAA`;
    await expect(CourierSocket.connect({ serverUrl: s.url, accessToken: forged, auth: 'frame' })).rejects.toThrow();
    secrets.push(forged);
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const body = 'the secret message body 8e0f';
    const received = new Promise((resolve) => b.on('message.new', resolve));
    await a.send(conversation.id, body);
    await received;
    await expect(a.send(conversation.id, `${body} but ${'far too long '.repeat(2000)}`)).rejects.toMatchObject({ code: 'too_large' });
    await expect(a.history(conversation.id)).resolves.toMatchObject({ messages: expect.any(Array) });
    // Refused frames carrying the body: one the schema rejects, one over the frame limit (a socket error).
    const raw = await rawClient(s, { token: bob.tokens.accessToken });
    raw.ws.send(JSON.stringify({ type: 'message.send', id: 'bad', conversationId: conversation.id, clientId: 'nope', body }));
    await raw.next((f) => f['type'] === 'error');
    raw.ws.send(JSON.stringify({ type: 'message.send', id: 'big', conversationId: conversation.id, clientId: 'nope', body: `${body}${'!'.repeat(70_000)}` }));
    await raw.closed;
    await s.http.logout(refreshed.accessToken);
    secrets.push(body);
    await a.close();
    await b.close();

    const log = lines.join('');
    // The log is not empty: the requests above were logged, just not their secrets.
    expect(log).toContain('courier server listening');
    expect(log).toContain(`${API_PREFIX}/auth/login`);
    expect(log).toContain('sessions revoked');
    expect(log).toContain('socket error'); // the oversized frame, at debug level
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toContain(badPassword);
    expect(log.toLowerCase()).not.toContain('bearer ');
  });
});
