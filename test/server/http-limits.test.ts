import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CourierSocket } from '../../src/client';
import { API_PREFIX } from '../../src/shared/protocol';
import { serverPerTest, type TestServer } from '../helpers/server';

/**
 * Slowloris and friends against a real server: raw TCP sockets that send too slowly, too
 * much or too many. Every wait for something the server should do is bounded (the
 * server's deadlines here are a few hundred ms; the bound is seconds), and nothing is
 * asserted about how fast it happened.
 */
const start = serverPerTest();
/** How long a test waits for the server to act before calling it a failure. */
const BOUND_MS = 10_000;

interface Raw {
  socket: Socket;
  /** Everything received so far. */
  text(): string;
  closed: Promise<void>;
}

function raw(s: TestServer, localAddress = '127.0.0.1'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect({ port: s.port, host: '127.0.0.1', localAddress });
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      socket.on('error', () => {}); // a reset is one way of being closed
      resolve({ socket, text: () => text, closed });
    });
  });
}

/** True once `r` is closed by the server, false if it is still open after BOUND_MS. */
async function closedByServer(r: Raw): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const open = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), BOUND_MS)));
  const result = await Promise.race([r.closed.then(() => true as const), open]);
  clearTimeout(timer);
  return result;
}

/** Resolves once `r` has received a full response head. */
async function responseOn(r: Raw): Promise<string> {
  const until = Date.now() + BOUND_MS;
  while (!r.text().includes('\r\n\r\n')) {
    if (Date.now() > until || r.socket.destroyed) throw new Error(`no response; got ${JSON.stringify(r.text())}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return r.text();
}

/** Writes `chunks` one every `everyMs` until the socket closes or they run out. */
function trickle(r: Raw, chunks: string[], everyMs = 50): void {
  const next = () => {
    const chunk = chunks.shift();
    if (chunk === undefined || r.socket.destroyed) return;
    r.socket.write(chunk);
    setTimeout(next, everyMs).unref();
  };
  next();
}

/** An HTTP request on a connection of its own (no pool holding sockets open) from `localAddress`. */
function send(s: TestServer, o: { method?: string; path?: string; localAddress?: string; headers?: Record<string, string | number>; body?: string } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      `${s.url}${o.path ?? '/healthz'}`,
      { method: o.method ?? 'GET', agent: false, localAddress: o.localAddress ?? '127.0.0.1', headers: o.headers ?? {} },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Retries `send` until it is answered (the server sees a client's close a moment after the client does). */
async function sendSoon(s: TestServer, localAddress: string) {
  const until = Date.now() + BOUND_MS;
  for (;;) {
    try {
      return await send(s, { localAddress });
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

async function metric(s: TestServer, line: RegExp): Promise<number> {
  const text = await (await fetch(s.metricsUrl)).text();
  const match = text.split('\n').find((l) => line.test(l));
  return match ? Number(match.slice(match.lastIndexOf(' ') + 1)) : 0;
}

const LOGIN_HEAD = `POST ${API_PREFIX}/auth/login HTTP/1.1\r\nHost: courier\r\nContent-Type: application/json\r\n`;

describe('slow requests (slowloris)', () => {
  it('closes a POST whose body trickles in once the request timeout has passed, answering 408', async () => {
    const s = await start({ httpRequestTimeoutMs: 600, httpHeadersTimeoutMs: 300 });
    const r = await raw(s);
    r.socket.write(`${LOGIN_HEAD}Content-Length: 1000\r\n\r\n{`);
    trickle(r, Array<string>(999).fill(' ')); // a byte every 50 ms: the idle timeout never fires
    expect(await closedByServer(r)).toBe(true);
    expect(r.text()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(JSON.parse(r.text().split('\r\n\r\n')[1]!)).toEqual({ error: { code: 'invalid_request', message: 'the request did not arrive in time' } });
  });

  it('closes a connection whose headers trickle in once the headers timeout has passed', async () => {
    const s = await start({ httpRequestTimeoutMs: 5000, httpHeadersTimeoutMs: 400 });
    const r = await raw(s);
    r.socket.write('GET /healthz HTTP/1.1\r\n');
    trickle(r, Array.from({ length: 500 }, (_, i) => `X-Slow-${i}: y\r\n`));
    expect(await closedByServer(r)).toBe(true);
    expect(r.text()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const s = await start({ httpKeepAliveTimeoutMs: 300 });
    const r = await raw(s);
    r.socket.write('GET /healthz HTTP/1.1\r\nHost: courier\r\n\r\n');
    expect(await responseOn(r)).toMatch(/^HTTP\/1\.1 200 /);
    expect(r.text()).toMatch(/\r\nKeep-Alive: timeout=0\r\n|\r\nConnection: keep-alive\r\n/i);
    expect(await closedByServer(r)).toBe(true);
  });

  it('closes a connection that sends nothing at all after the idle timeout', async () => {
    const s = await start({ httpIdleTimeoutMs: 300, httpHeadersTimeoutMs: 5000, httpRequestTimeoutMs: 5000 });
    const r = await raw(s);
    expect(await closedByServer(r)).toBe(true);
    expect(r.text()).toBe('');
  });
});

describe('body limit', () => {
  it('applies to every route, including those that read no body', async () => {
    const s = await start();
    const big = JSON.stringify({ padding: 'x'.repeat(20_000) });
    // Node's client sends GET and DELETE bodies without framing unless told the length.
    const json = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) };
    for (const [method, path] of [
      ['GET', `${API_PREFIX}/sessions`],
      ['GET', '/healthz'],
      ['DELETE', `${API_PREFIX}/sessions/s_whatever`],
      ['POST', `${API_PREFIX}/auth/logout`],
      ['POST', `${API_PREFIX}/auth/register`],
    ] as const) {
      const reply = await send(s, { method, path, headers: json, body: big });
      expect([method, path, reply.status]).toEqual([method, path, 413]);
      expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'too_large' } });
    }
  });

  it('is configurable', async () => {
    const s = await start({ httpBodyLimitBytes: 2048 });
    const body = (n: number) => JSON.stringify({ username: 'sizer', password: 'x'.repeat(n) });
    const json = { 'content-type': 'application/json' };
    expect((await send(s, { method: 'POST', path: `${API_PREFIX}/auth/register`, headers: json, body: body(3000) })).status).toBe(413);
    expect((await send(s, { method: 'POST', path: `${API_PREFIX}/auth/register`, headers: json, body: body(200) })).status).toBe(201);
  });
});

describe('concurrent HTTP connections', () => {
  /** Opens `n` raw connections from `localAddress`, each proven accepted by a keep-alive answer. */
  async function held(s: TestServer, n: number, localAddress = '127.0.0.1'): Promise<Raw[]> {
    const out: Raw[] = [];
    for (let i = 0; i < n; i++) {
      const r = await raw(s, localAddress);
      r.socket.write('GET /healthz HTTP/1.1\r\nHost: courier\r\n\r\n');
      expect(await responseOn(r)).toMatch(/^HTTP\/1\.1 200 /);
      out.push(r);
    }
    return out;
  }

  /** A connection the server accepted at the TCP level and then dropped without a word. */
  async function refused(s: TestServer, localAddress: string): Promise<Raw> {
    const r = await raw(s, localAddress);
    r.socket.write('GET /healthz HTTP/1.1\r\nHost: courier\r\n\r\n');
    expect(await closedByServer(r)).toBe(true);
    expect(r.text()).toBe('');
    return r;
  }

  it('drops connections over the per-address cap at once; other addresses are served; a freed slot is reusable', async () => {
    const s = await start({ httpMaxConnectionsPerIp: 3, httpKeepAliveTimeoutMs: 60_000 });
    const three = await held(s, 3);
    await refused(s, '127.0.0.1');
    expect(await send(s, { localAddress: '127.0.0.2' })).toMatchObject({ status: 200 });
    expect(await metric(s, /^courier_http_connections_refused_total\{limit="per_ip"\}/)).toBe(1);

    three[0]!.socket.destroy();
    expect(await sendSoon(s, '127.0.0.1')).toMatchObject({ status: 200 });
    for (const r of three) r.socket.destroy();
  });

  it('drops connections over the global cap, whatever their address', async () => {
    const s = await start({ httpMaxConnections: 3, httpMaxConnectionsPerIp: 100, httpKeepAliveTimeoutMs: 60_000 });
    const open = [...(await held(s, 2, '127.0.0.1')), ...(await held(s, 1, '127.0.0.2'))];
    await refused(s, '127.0.0.3');
    expect(await metric(s, /^courier_http_connections_refused_total\{limit="global"\}/)).toBe(1);
    expect(await metric(s, /^courier_http_connections /)).toBe(3);
    for (const r of open) r.socket.destroy();
  });

  it('stops counting a socket once it is upgraded to a WebSocket, and counts exactly', async () => {
    const s = await start({ httpMaxConnectionsPerIp: 2, httpMaxConnections: 2, httpKeepAliveTimeoutMs: 60_000 });
    const alice = await s.auth.register({ username: 'upgrader', password: 'correct horse battery' }); // in-process: no HTTP socket
    const sockets: CourierSocket[] = [];
    for (let i = 0; i < 4; i++) sockets.push(await CourierSocket.connect({ serverUrl: s.url, accessToken: alice.tokens.accessToken }));
    expect(s.connectionCount()).toBe(4); // twice the HTTP cap, all open
    await Promise.all(sockets.map((x) => x.close()));

    // The books balance: exactly two HTTP connections fit now, not more (a double release would allow more).
    const two = await held(s, 2);
    await refused(s, '127.0.0.1');
    for (const r of two) r.socket.destroy();
  });

  it('does not apply the per-address cap to a trusted reverse proxy (the global cap still holds)', async () => {
    const s = await start({ httpMaxConnectionsPerIp: 2, httpMaxConnections: 5, trustProxy: ['127.0.0.1/32'], httpKeepAliveTimeoutMs: 60_000 });
    const proxied = await held(s, 3, '127.0.0.1');
    const direct = await held(s, 2, '127.0.0.2');
    await refused(s, '127.0.0.2');
    await refused(s, '127.0.0.1'); // 5 open: the global cap
    for (const r of [...proxied, ...direct]) r.socket.destroy();
  });
});
