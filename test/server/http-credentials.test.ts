import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger';
import { SqliteStore } from '../../src/server/store/sqlite/sqlite-store';
import { API_PREFIX } from '../../src/shared/protocol';
import { serverPerTest, type TestServer } from '../helpers/server';

/** Credential guessing against a real server: per-account throttling, the hashing limit, proxies. */
const start = serverPerTest();
const PASSWORD = 'correct horse battery';

interface Reply {
  status: number;
  retryAfter: string | undefined;
  json: { error?: { code: string; retryAfterMs?: number } } & Record<string, unknown>;
}

/** POSTs JSON on a connection of its own from `localAddress`. */
function post(s: TestServer, path: string, body: unknown, o: { from?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${s.url}${API_PREFIX}${path}`,
      {
        method: 'POST',
        agent: false,
        localAddress: o.from ?? '127.0.0.1',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...o.headers },
      },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], json: JSON.parse(data) as Reply['json'] }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** A logger that keeps every line, for checking what was (and was not) logged. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', destination), lines, text: () => text };
}

describe('failed logins per account', () => {
  it('after 5 failures waits 1 s, then 2 s…, whichever address asks and whether or not the account exists; a success resets', async () => {
    let fakeNow = Date.now();
    const log = capturingLogger();
    const s = await start({}, { now: () => fakeNow, logger: log.logger });
    await s.user('alice');
    // Each attempt from another address: the per-address budget plays no part here.
    let address = 10;
    const login = (username: string, password: string) => post(s, '/auth/login', { username, password }, { from: `127.0.0.${address++}` });

    for (let i = 0; i < 5; i++) expect((await login('alice', `wrong guess ${i}`)).status).toBe(401);
    // Now even the right password waits, from anywhere, in any case: nothing is checked.
    for (const name of ['alice', 'ALICE']) {
      const held = await login(name, PASSWORD);
      expect(held).toMatchObject({ status: 429, retryAfter: '1', json: { error: { code: 'rate_limited', retryAfterMs: 1000 } } });
    }
    expect((await login('bob-is-not-affected', 'a guess')).status).toBe(401);

    fakeNow += 1000;
    expect((await login('alice', 'wrong guess 6')).status).toBe(401);
    expect((await login('alice', PASSWORD)).json.error).toMatchObject({ code: 'rate_limited', retryAfterMs: 2000 });
    fakeNow += 2000;
    expect((await login('alice', PASSWORD)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login('alice', `fresh start ${i}`)).status).toBe(401); // the success reset the count

    // An unknown name behaves the same, so the 429 does not reveal which accounts exist.
    for (let i = 0; i < 5; i++) expect((await login('nobody-here', `guess ${i}`)).status).toBe(401);
    expect((await login('nobody-here', 'guess')).status).toBe(429);

    const failed = log.lines.filter((l) => l['msg'] === 'sign-in failed: wrong username or password');
    expect(failed.length).toBe(17); // 5 + 1 (bob) + 1 + 5 + 5
    expect(failed[4]).toMatchObject({ username: 'alice', failures: 5, waitMs: 1000, reqId: expect.any(String) });
    expect(log.lines.some((l) => l['msg'] === 'sign-in refused: too many failures for this account' && l['username'] === 'alice')).toBe(true);
    expect(log.lines.find((l) => l['msg'] === 'signed in')).toMatchObject({ userId: expect.stringMatching(/^u_/), sessionId: expect.stringMatching(/^s_/) });
    expect(log.text()).not.toContain('wrong guess');
    expect(log.text()).not.toContain(PASSWORD);
  });
});

describe('the password-hashing limit', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 unavailable with retryAfterMs at once when every slot is busy, instead of queueing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'courier-hashing-'));
    dirs.push(dir);
    const store = new SqliteStore(join(dir, 'courier.db'));
    // Registration holds its hashing slot until the account is stored: hold it there.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let holding = false;
    let calls = 0;
    let overtaken!: (e: Error) => void;
    const queuedBehind = new Promise<never>((_resolve, reject) => (overtaken = reject));
    const createUser = store.createUser;
    store.createUser = async (u) => {
      if (holding) {
        if (++calls > 1) overtaken(new Error('a second registration was hashed and reached the store while the first held the only slot'));
        entered();
        await held;
      }
      return createUser(u);
    };
    const s = await start({ hashConcurrency: 1, hashQueue: 0 }, { store });
    await s.auth.createUser('carol', PASSWORD, null);
    holding = true;
    const first = post(s, '/auth/register', { username: 'first', password: PASSWORD });
    try {
      await Promise.race([inside, first.then(() => Promise.reject(new Error('the first registration did not wait')))]);
      for (const [path, body] of [
        ['/auth/register', { username: 'second', password: PASSWORD }],
        ['/auth/login', { username: 'carol', password: PASSWORD }],
      ] as const) {
        const busy = await Promise.race([post(s, path, body), queuedBehind]);
        expect([path, busy.status]).toEqual([path, 503]);
        expect(busy).toMatchObject({ retryAfter: '1', json: { error: { code: 'unavailable', retryAfterMs: 1000 } } });
      }
      expect(calls).toBe(1); // neither went near the store (or scrypt)
    } finally {
      holding = false;
      release();
    }
    expect((await first).status).toBe(201);
    expect((await post(s, '/auth/register', { username: 'second', password: PASSWORD })).status).toBe(201);
    expect((await post(s, '/auth/login', { username: 'first', password: PASSWORD })).status).toBe(200);
  });
});

describe('behind a reverse proxy (--trust-proxy)', () => {
  /** One after another: all at once, most would meet the hashing limit instead. */
  const guesses = async (s: TestServer, n: number, forwardedFor: string) => {
    const replies: Reply[] = [];
    for (let i = 0; i < n; i++) {
      replies.push(await post(s, '/auth/login', { username: `guess-${forwardedFor}-${i}`, password: 'x' }, { headers: { 'x-forwarded-for': forwardedFor } }));
    }
    return replies;
  };

  it('counts credential attempts per forwarded client when the proxy is trusted', async () => {
    const fakeNow = Date.now();
    const log = capturingLogger();
    const s = await start({ trustProxy: ['127.0.0.1/32'] }, { now: () => fakeNow, logger: log.logger });
    expect((await guesses(s, 20, '203.0.113.5')).map((r) => r.status)).toEqual(Array(20).fill(401));
    expect((await guesses(s, 1, '203.0.113.5'))[0]!.status).toBe(429);
    expect((await guesses(s, 1, '203.0.113.6'))[0]!.status).toBe(401); // another client behind the same proxy
    expect(log.lines.find((l) => l['msg'] === 'request' && l['path'] === `${API_PREFIX}/auth/login`)).toMatchObject({ ip: '203.0.113.5' });
  });

  it('ignores X-Forwarded-For from anyone else, so a client cannot mint fresh budgets', async () => {
    const fakeNow = Date.now();
    const s = await start({}, { now: () => fakeNow });
    expect((await guesses(s, 20, '203.0.113.5')).map((r) => r.status)).toEqual(Array(20).fill(401));
    expect((await guesses(s, 1, '203.0.113.6'))[0]!.status).toBe(429);
  });
});
