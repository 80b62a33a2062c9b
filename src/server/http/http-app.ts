import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Server } from 'node:http';
import { API_PREFIX, PROTOCOL, type HttpErrorBody } from '../../shared/protocol';
import type { AuthService, Principal } from '../auth/auth-service';
import { ApiError, httpStatus } from '../errors';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { TokenBucket } from '../token-bucket';

export interface HttpAppOptions {
  auth: AuthService;
  logger: Logger;
  metrics: Metrics;
  now: () => number;
  version: string;
  https: { cert: Buffer; key: Buffer } | null;
  isReady: () => boolean;
}

/** Attempts per IP on the credential endpoints (login, register, refresh): a burst, then 1/s. */
const AUTH_BURST = 20;
const AUTH_RATE = 1;

/**
 * The REST surface: accounts and sessions under /api/v1, plus /healthz and /metrics.
 * Every body is parsed with the shared schemas inside AuthService; every failure leaves
 * through the one error handler below as { error: { code, message } }.
 */
export function createHttpApp(o: HttpAppOptions): FastifyInstance<Server> {
  const app = Fastify({
    loggerInstance: o.logger.child({ component: 'http' }),
    // Request lines (method, url, status; never headers or bodies), minus the probes.
    logController: new LogController({ disableRequestLogging: (req) => req.url === '/healthz' || req.url === '/metrics' }),
    bodyLimit: 16 * 1024,
    ...(o.https ? { https: o.https } : {}),
  }) as unknown as FastifyInstance<Server>;

  const buckets = new Map<string, TokenBucket>();
  const limitAuth = async (req: FastifyRequest) => {
    const now = o.now();
    if (buckets.size > 50_000) buckets.clear(); // bounded memory under an address-spraying attack
    let bucket = buckets.get(req.ip);
    if (!bucket) buckets.set(req.ip, (bucket = new TokenBucket(AUTH_RATE, AUTH_BURST, now)));
    const wait = bucket.take(now);
    if (wait > 0) throw new ApiError('rate_limited', 'too many attempts; wait and try again', wait);
  };

  const principal = async (req: FastifyRequest): Promise<Principal> => {
    const token = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new ApiError('auth_required', 'send Authorization: Bearer <access token>');
    const p = await o.auth.authenticate(token);
    if (!p) throw new ApiError('auth_invalid', 'access token invalid, expired or revoked');
    return p;
  };

  app.setErrorHandler((error: unknown, req: FastifyRequest, reply: FastifyReply) => {
    let e: ApiError;
    if (error instanceof ApiError) e = error;
    else if (isFastifyClientError(error)) {
      e = new ApiError(error.statusCode === 413 ? 'too_large' : 'invalid_request', error.message);
    } else {
      req.log.error({ err: error }, 'request failed');
      e = new ApiError('internal', 'internal error');
    }
    const body: HttpErrorBody = { error: { code: e.code, message: e.message, ...(e.retryAfterMs ? { retryAfterMs: e.retryAfterMs } : {}) } };
    if (e.retryAfterMs) void reply.header('retry-after', Math.ceil(e.retryAfterMs / 1000));
    void reply.status(httpStatus(e.code)).send(body);
  });
  app.setNotFoundHandler((_req, reply) => {
    void reply.status(404).send({ error: { code: 'not_found', message: 'no such endpoint' } } satisfies HttpErrorBody);
  });

  app.get('/healthz', async (_req, reply) => {
    const ready = o.isReady();
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'stopping' });
  });
  app.get('/metrics', async (_req, reply) => {
    return reply.header('content-type', o.metrics.registry.contentType).send(await o.metrics.registry.metrics());
  });
  app.get(`${API_PREFIX}/server`, async () => ({
    name: 'courier' as const,
    version: o.version,
    protocol: PROTOCOL,
    registrationOpen: o.auth.registrationOpen,
  }));

  app.post(`${API_PREFIX}/auth/register`, { preHandler: limitAuth }, async (req, reply) => {
    return reply.status(201).send(await o.auth.register(req.body));
  });
  app.post(`${API_PREFIX}/auth/login`, { preHandler: limitAuth }, async (req) => o.auth.login(req.body));
  app.post(`${API_PREFIX}/auth/refresh`, { preHandler: limitAuth }, async (req) => ({ tokens: await o.auth.refresh(req.body) }));
  app.post(`${API_PREFIX}/auth/logout`, async (req, reply) => {
    await o.auth.logout(await principal(req));
    return reply.status(204).send();
  });
  app.get(`${API_PREFIX}/sessions`, async (req) => ({ sessions: await o.auth.listSessions(await principal(req)) }));
  app.delete<{ Params: { id: string } }>(`${API_PREFIX}/sessions/:id`, async (req, reply) => {
    await o.auth.revoke(await principal(req), req.params.id);
    return reply.status(204).send();
  });

  return app;
}

function isFastifyClientError(error: unknown): error is { statusCode: number; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}
