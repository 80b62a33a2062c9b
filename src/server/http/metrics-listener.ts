import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger';

export interface MetricsListenerOptions {
  host: string;
  /** 0 = any free port. */
  port: number;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token: string | null;
  registry: Registry;
  logger: Logger;
}

export interface MetricsListener {
  /** http://host:port/metrics */
  url: string;
  close(): Promise<void>;
}

/** Prometheus scrapes a few times a minute; anything more is not Prometheus. */
const MAX_CONNECTIONS = 16;

/**
 * `GET /metrics` on a listener of its own (127.0.0.1:9787 unless configured), so the
 * numbers that describe the server's load and its users' activity are never served on
 * the public address. Optionally behind a bearer token, for a scraper on another host.
 */
export async function startMetricsListener(o: MetricsListenerOptions): Promise<MetricsListener> {
  const expected = o.token === null ? null : digest(o.token);
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 5_000 }, (req, res) => {
    void answer(req, res, o.registry, expected).catch((error: unknown) => {
      o.logger.error({ err: error }, 'metrics scrape failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, registry: Registry, expected: Buffer | null): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const given = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (expected !== null && (given === undefined || !timingSafeEqual(digest(given), expected))) {
    res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('a bearer token is required\n');
    return;
  }
  const text = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text);
}

/** Fixed-length digests, so the comparison takes the same time whatever the token's length. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
