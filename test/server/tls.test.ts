import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get, request } from 'node:https';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { CourierSocket } from '../../src/client';
import type { ServerConfig } from '../../src/server/config';
import { startTestServer, type TestServer } from '../helpers/server';

/** A throwaway self-signed certificate for 127.0.0.1 (openssl ships with Debian). */
function selfSigned(dir: string, kind: 'ec' | 'rsa' = 'ec'): { cert: string; key: string } {
  const cert = join(dir, `${kind}-cert.pem`);
  const key = join(dir, `${kind}-key.pem`);
  const keyArgs = kind === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['-newkey', 'rsa:2048'];
  try {
    execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`this test needs the openssl command (apt-get install -y openssl): ${String(error)}`, { cause: error });
  }
  return { cert, key };
}

describe('TLS', () => {
  it('serves https and wss with the configured certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'courier-tls-'));
    const tls = selfSigned(dir);
    const ca = readFileSync(tls.cert);
    const server = await startTestServer({ tls });
    try {
      expect(server.url).toMatch(/^https:\/\//);
      expect(server.wsUrl).toMatch(/^wss:\/\//);
      const health = await new Promise<number>((resolve, reject) =>
        get(`${server.url}/healthz`, { ca }, (res) => resolve(res.statusCode ?? 0)).on('error', reject),
      );
      expect(health).toBe(200);
      // Registration over HTTPS through the same API the client uses.
      const auth = await new Promise<{ tokens: { accessToken: string } }>((resolve, reject) => {
        const body = JSON.stringify({ username: 'tlsuser', password: 'long enough password' });
        const req = request(`${server.url}/api/v1/auth/register`, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(JSON.parse(text) as { tokens: { accessToken: string } }));
        });
        req.on('error', reject);
        req.end(body);
      });
      const socket = await CourierSocket.connect({ serverUrl: server.url, accessToken: auth.tokens.accessToken, ca });
      expect(socket.isOpen).toBe(true);
      await socket.close();
      // An untrusted certificate is refused by default.
      await expect(CourierSocket.connect({ serverUrl: server.url, accessToken: auth.tokens.accessToken })).rejects.toMatchObject({ code: 'network' });
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TLS policy', () => {
  let dir = '';
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * An RSA certificate: with it a server could offer static-RSA key exchange and CBC suites
   * (an ECDSA certificate rules those out by itself, which would prove nothing).
   */
  async function serve(kind: 'ec' | 'rsa', overrides: Partial<ServerConfig> = {}) {
    dir = mkdtempSync(join(tmpdir(), 'courier-tls-'));
    const tls = selfSigned(dir, kind);
    server = await startTestServer({ tls, ...overrides });
    return { server, ca: readFileSync(tls.cert) };
  }

  /** A real TLS client's handshake: the protocol and cipher agreed, or the error. */
  function handshake(s: TestServer, ca: Buffer, o: ConnectionOptions): Promise<string> {
    return new Promise((resolve) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: s.port, ca, ...o }, () => {
        resolve(`${socket.getProtocol()} ${socket.getCipher().standardName}`);
        socket.destroy();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(`refused (${error.code ?? error.message})`));
    });
  }

  it('speaks TLS 1.3, and TLS 1.2 only with forward-secret AEAD suites: CBC, static RSA and TLS 1.1 are refused', async () => {
    const { server: s, ca } = await serve('rsa');
    expect(await handshake(s, ca, {})).toMatch(/^TLSv1\.3 TLS_/);
    expect(await handshake(s, ca, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' })).toBe('TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(await handshake(s, ca, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' })).toBe('TLSv1.2 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256');
    for (const cipher of ['AES128-SHA', 'AES256-SHA', 'AES128-GCM-SHA256', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384']) {
      expect([cipher, await handshake(s, ca, { maxVersion: 'TLSv1.2', ciphers: cipher })]).toEqual([cipher, expect.stringMatching(/^refused/)]);
    }
    // The client must lower its own OpenSSL security level to even try TLS 1.1.
    expect(await handshake(s, ca, { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' })).toMatch(/^refused/);
  });

  it('--tls-min-version TLSv1.3 refuses TLS 1.2; --tls-ciphers replaces the list', async () => {
    const { server: s, ca } = await serve('ec', { tlsMinVersion: 'TLSv1.3' });
    expect(await handshake(s, ca, { maxVersion: 'TLSv1.2' })).toMatch(/^refused/);
    expect(await handshake(s, ca, {})).toMatch(/^TLSv1\.3 /);
    await server!.stop();
    server = await startTestServer({ tls: selfSigned(dir, 'ec'), tlsCiphers: 'TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES256-GCM-SHA384' });
    const ec = readFileSync(join(dir, 'ec-cert.pem'));
    expect(await handshake(server, ec, {})).toBe('TLSv1.3 TLS_CHACHA20_POLY1305_SHA256');
    expect(await handshake(server, ec, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' })).toMatch(/^refused/);
  });

  it('sends HSTS over HTTPS', async () => {
    const { server: s, ca } = await serve('ec');
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) =>
      get(`${s.url}/api/v1/server`, { ca }, (res) => {
        res.resume();
        resolve(res.headers);
      }).on('error', reject),
    );
    expect(headers).toMatchObject({ 'strict-transport-security': 'max-age=31536000', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  });

  it('closes a connection that never starts its handshake after the headers timeout', async () => {
    const { server: s } = await serve('ec', { httpHeadersTimeoutMs: 300, httpIdleTimeoutMs: 60_000 });
    const socket = tcpConnect({ host: '127.0.0.1', port: s.port });
    socket.on('error', () => {});
    const closed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    expect(closed).toBe(true);
  });

  it('counts TLS connections against the caps, and stops counting them once upgraded to wss', async () => {
    const { server: s, ca } = await serve('ec', { httpMaxConnectionsPerIp: 1, httpMaxConnections: 1 });
    const alice = await s.auth.register({ username: 'tlsupgrader', password: 'long enough password' });
    const sockets = [
      await CourierSocket.connect({ serverUrl: s.url, accessToken: alice.tokens.accessToken, ca }),
      await CourierSocket.connect({ serverUrl: s.url, accessToken: alice.tokens.accessToken, ca }),
    ];
    expect(s.connectionCount()).toBe(2);
    const status = () =>
      new Promise<number>((resolve, reject) =>
        get(`${s.url}/healthz`, { ca, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject),
      );
    expect(await status()).toBe(200);
    // One TLS connection held open (mid-handshake is enough): the next one is dropped.
    const holder = tcpConnect({ host: '127.0.0.1', port: s.port });
    holder.on('error', () => {});
    await new Promise((r) => holder.once('connect', r));
    await expect(waitForRefusal(status)).resolves.toBe(true);
    holder.destroy();
    await Promise.all(sockets.map((x) => x.close()));
  });
});

/** True once `attempt` fails (the server dropped the connection), within a bound. */
async function waitForRefusal(attempt: () => Promise<number>): Promise<boolean> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    try {
      await attempt();
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
