import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CourierSocket } from '../../src/client';
import { startTestServer } from '../helpers/server';

/** A throwaway self-signed certificate for 127.0.0.1 (openssl ships with Debian). */
function selfSigned(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
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
