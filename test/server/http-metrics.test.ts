import { describe, expect, it } from 'vitest';
import { serverPerTest } from '../helpers/server';

/** /metrics lives on a listener of its own (127.0.0.1 unless configured), never on the public one. */
const start = serverPerTest();

describe('the metrics listener', () => {
  it('serves Prometheus text on its own loopback port; the public listener answers 404', async () => {
    const s = await start();
    expect(s.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(s.metricsUrl).port).not.toBe(String(s.port));
    const res = await fetch(s.metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toMatch(/^courier_http_connections \d+$/m);

    const pub = await fetch(`${s.url}/metrics`);
    expect(pub.status).toBe(404);
    expect(await pub.json()).toEqual({ error: { code: 'not_found', message: 'no such endpoint' } });
    expect((await fetch(new URL('/other', s.metricsUrl))).status).toBe(404);
  });

  it('wants the bearer token when one is configured', async () => {
    const token = 'a-long-metrics-token-for-tests';
    const s = await start({ metricsToken: token });
    expect((await fetch(s.metricsUrl)).status).toBe(401);
    expect((await fetch(s.metricsUrl, { headers: { authorization: 'Bearer not-the-token' } })).status).toBe(401);
    expect((await fetch(s.metricsUrl, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
    const ok = await fetch(s.metricsUrl, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('courier_connections');
  });

  it('closes with the server', async () => {
    const s = await start();
    const url = s.metricsUrl;
    expect((await fetch(url)).status).toBe(200);
    await s.close();
    await expect(fetch(url)).rejects.toThrow();
  });
});
