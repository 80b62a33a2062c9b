import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger';
import { API_PREFIX } from '../../src/shared/protocol';
import { serverPerTest } from '../helpers/server';

/** What every REST response carries, and what the log says about each request. */
const start = serverPerTest();

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

describe('response headers', () => {
  it('every REST response is nosniff, no-store, unframeable, referrer-free and carries its request id; no HSTS without TLS', async () => {
    const s = await start();
    const alice = await s.user();
    const json = { 'content-type': 'application/json' };
    const responses = {
      login: await fetch(`${s.url}${API_PREFIX}/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: alice.name, password: alice.password }) }),
      refresh: await fetch(`${s.url}${API_PREFIX}/auth/refresh`, { method: 'POST', headers: json, body: JSON.stringify({ refreshToken: alice.tokens.refreshToken }) }),
      sessions: await fetch(`${s.url}${API_PREFIX}/sessions`, { headers: { authorization: `Bearer ${alice.tokens.accessToken}` } }),
      unauthorized: await fetch(`${s.url}${API_PREFIX}/sessions`),
      invalid: await fetch(`${s.url}${API_PREFIX}/auth/login`, { method: 'POST', headers: json, body: '{' }),
      missing: await fetch(`${s.url}/no/such/thing`),
      server: await fetch(`${s.url}${API_PREFIX}/server`),
      health: await fetch(`${s.url}/healthz`),
    };
    const ids = new Set<string>();
    for (const [name, res] of Object.entries(responses)) {
      const h = (k: string) => [name, res.headers.get(k)];
      expect(h('x-content-type-options')).toEqual([name, 'nosniff']);
      expect(h('cache-control')).toEqual([name, 'no-store']);
      expect(h('x-frame-options')).toEqual([name, 'DENY']);
      expect(h('content-security-policy')).toEqual([name, "default-src 'none'; frame-ancestors 'none'"]);
      expect(h('referrer-policy')).toEqual([name, 'no-referrer']);
      expect(h('strict-transport-security')).toEqual([name, null]);
      expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{12}$/);
      ids.add(res.headers.get('x-request-id')!);
    }
    expect(ids.size).toBe(Object.keys(responses).length);
  });
});

describe('request logs', () => {
  it('one line per request with its request id and the path only, never the query string', async () => {
    const log = capturingLogger();
    const s = await start({}, { logger: log.logger });
    const res = await fetch(`${s.url}${API_PREFIX}/server?access_token=leaked-secret&x=1`);
    const reqId = res.headers.get('x-request-id');
    await fetch(`${s.url}/nowhere?password=hunter2hunter2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await s.close();
    const lines = log.lines.filter((l) => l['msg'] === 'request');
    expect(lines).toEqual([
      expect.objectContaining({ reqId, method: 'GET', path: `${API_PREFIX}/server`, status: 200, ip: '127.0.0.1', component: 'http' }),
      expect.objectContaining({ reqId: expect.any(String), method: 'POST', path: '/nowhere', status: 404 }),
    ]);
    expect(log.text()).not.toContain('leaked-secret');
    expect(log.text()).not.toContain('hunter2');
    expect(log.text()).not.toContain('incoming request'); // Fastify's own two lines per request, with the full URL, are off
  });

  it('a refused access token is logged with the account and session it names, never the token', async () => {
    const log = capturingLogger();
    const s = await start({}, { logger: log.logger });
    const alice = await s.user();
    await fetch(`${s.url}${API_PREFIX}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${alice.tokens.accessToken}` } });
    const refused = await fetch(`${s.url}${API_PREFIX}/sessions`, { headers: { authorization: `Bearer ${alice.tokens.accessToken}` } });
    expect(refused.status).toBe(401);
    const line = log.lines.find((l) => l['msg'] === 'access token refused');
    expect(line).toMatchObject({ userId: alice.user.id, sessionId: alice.tokens.sessionId, reqId: refused.headers.get('x-request-id') });
    expect(log.lines.find((l) => l['msg'] === 'signed out')).toMatchObject({ userId: alice.user.id, sessionId: alice.tokens.sessionId });
    expect(log.lines.find((l) => l['msg'] === 'account registered')).toMatchObject({ userId: alice.user.id, sessionId: alice.tokens.sessionId });
    expect(log.text()).not.toContain(alice.tokens.accessToken.split('.')[1]);
    expect(log.text()).not.toContain(alice.tokens.refreshToken);
  });
});
