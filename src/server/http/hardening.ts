import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpErrorBody } from '../../shared/protocol';
import { ApiError } from '../errors';
import type { Metrics } from '../metrics';

/**
 * What every REST request and response goes through, whatever the route: the body limit,
 * the security headers, one access-log line, and the answer to requests that never
 * finished arriving.
 */
export interface HardeningOptions {
  bodyLimitBytes: number;
  /** HSTS only makes sense (and is only honoured) over HTTPS. */
  tls: boolean;
  metrics: Metrics;
}

const SECURITY_HEADERS = {
  // The API returns JSON only: nothing here may be sniffed into HTML, framed, or cached.
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
} as const;
/** One year; no includeSubDomains: the operator's other hosts are not ours to decide. */
const HSTS = 'max-age=31536000';

/** Bodies a route does not read: Node would drain them after the answer to reuse the connection. */
const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export function harden(app: FastifyInstance<Server>, o: HardeningOptions): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunked = req.headers['transfer-encoding'] !== undefined;
    // Fastify enforces bodyLimit only where it parses a body; a GET's body would otherwise
    // be read (and thrown away) without limit. Such requests lose their connection instead.
    if (declared > 0 || chunked) {
      if (BODYLESS.has(req.method)) void reply.header('connection', 'close');
      if (declared > o.bodyLimitBytes) {
        void reply.header('connection', 'close');
        throw new ApiError('too_large', `request bodies are limited to ${o.bodyLimitBytes} bytes`);
      }
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    void reply.headers(SECURITY_HEADERS).header('x-request-id', req.id);
    if (o.tls) void reply.header('strict-transport-security', HSTS);
    return payload;
  });

  // One line per request, on the request's child logger (so it carries reqId), with the
  // path only: a query string may carry what a client should not have put there.
  app.addHook('onResponse', async (req, reply) => {
    if (req.url === '/healthz') return; // probes every few seconds would drown the rest
    req.log.info({ method: req.method, path: pathOf(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime), ip: req.ip }, 'request');
  });
  app.addHook('onRequestAbort', async (req) => {
    req.log.info({ method: req.method, path: pathOf(req.url), ip: req.ip }, 'request aborted by the client');
  });
}

export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/**
 * Node's 'clientError': a request that timed out (headers or body too slow), headers too
 * large, or bytes that are not HTTP. Answered in the API's error shape, then the socket
 * is destroyed; nothing was routed, so there is no request id to log.
 */
export function clientErrorHandler(metrics: Metrics) {
  return (error: Error & { code?: string }, socket: Duplex): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, text, kind, code] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ([408, 'Request Timeout', 'timeout', 'invalid_request'] as const)
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? ([431, 'Request Header Fields Too Large', 'header_overflow', 'too_large'] as const)
          : ([400, 'Bad Request', 'bad_request', 'invalid_request'] as const);
    metrics.httpClientErrors.inc({ kind });
    const body = JSON.stringify({ error: { code, message: kind === 'timeout' ? 'the request did not arrive in time' : text } } satisfies HttpErrorBody);
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }
    socket.destroy();
  };
}
