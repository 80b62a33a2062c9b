import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { API_PREFIX, LoginBodySchema, PROTOCOL, type HttpErrorBody } from '../../shared/protocol';
import type { AuthService, Principal } from '../auth/auth-service';
import { unverifiedClaims } from '../auth/tokens';
import type { ServerConfig } from '../config';
import { ApiError, httpStatus } from '../errors';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { clientKey, trustedProxyMatcher } from './addresses';
import { AddressLimiter } from './address-limiter';
import { ConcurrencyGate } from './concurrency-gate';
import { ConnectionCaps } from './connection-caps';
import { clientErrorHandler, harden } from './hardening';
import { LoginThrottle } from './login-throttle';

/** The configuration the REST surface reads. */
export type HttpLimits = Pick<
  ServerConfig,
  | 'httpRequestTimeoutMs'
  | 'httpHeadersTimeoutMs'
  | 'httpKeepAliveTimeoutMs'
  | 'httpIdleTimeoutMs'
  | 'httpBodyLimitBytes'
  | 'httpMaxConnections'
  | 'httpMaxConnectionsPerIp'
  | 'trustProxy'
  | 'hashConcurrency'
  | 'hashQueue'
>;

export interface HttpAppOptions {
  auth: AuthService;
  logger: Logger;
  metrics: Metrics;
  now: () => number;
  version: string;
  /** Certificate, key and protocol/cipher policy: serve HTTPS. */
  https: (SecureContextOptions & Pick<TlsOptions, 'honorCipherOrder'>) | null;
  isReady: () => boolean;
  limits: HttpLimits;
}

/** Attempts per client on the credential endpoints (login, register, refresh): a burst, then 1/s. */
const AUTH_BURST = 20;
const AUTH_RATE = 1;
/** Clients whose credential budget is remembered at once (~10 MB at most). */
const AUTH_CLIENTS = 50_000;
/** What a login or registration refused for want of a hashing slot is told to wait. */
const BUSY_RETRY_MS = 1000;

/**
 * The REST surface: accounts and sessions under /api/v1, plus /healthz. (/metrics has a
 * listener of its own: metrics-listener.ts.) Every body is parsed with the shared schemas
 * inside AuthService; every failure leaves through the one error handler below as
 * { error: { code, message } }.
 */
export function createHttpApp(o: HttpAppOptions): FastifyInstance<Server> {
  const l = o.limits;
  const isTrustedProxy = trustedProxyMatcher(l.trustProxy);
  // Node checks the request and header deadlines on a timer; a quarter of the shorter one
  // (at most 1 s) closes a late request within 25 % of its deadline.
  const serverOptions = {
    requestTimeout: l.httpRequestTimeoutMs,
    headersTimeout: l.httpHeadersTimeoutMs,
    keepAliveTimeout: l.httpKeepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(Math.min(l.httpHeadersTimeoutMs, l.httpRequestTimeoutMs) / 4))),
  };
  const app = Fastify({
    loggerInstance: o.logger.child({ component: 'http' }),
    logController: new LogController({ disableRequestLogging: true }), // hardening.ts logs one line per request, path only
    genReqId: () => randomBytes(9).toString('base64url'), // unique across restarts, unlike req-1, req-2…
    bodyLimit: l.httpBodyLimitBytes,
    requestTimeout: l.httpRequestTimeoutMs,
    keepAliveTimeout: l.httpKeepAliveTimeoutMs,
    connectionTimeout: l.httpIdleTimeoutMs,
    // req.ip is then the client a trusted proxy names in X-Forwarded-For; nobody else is believed.
    trustProxy: (address: string) => isTrustedProxy(address),
    clientErrorHandler: clientErrorHandler(o.metrics),
    ...(o.https ? { https: { ...o.https, ...serverOptions, handshakeTimeout: l.httpHeadersTimeoutMs } } : { http: serverOptions }),
  }) as unknown as FastifyInstance<Server>;

  new ConnectionCaps({
    maxConnections: l.httpMaxConnections,
    maxPerClient: l.httpMaxConnectionsPerIp,
    isTrustedProxy,
    metrics: o.metrics,
    logger: o.logger.child({ component: 'http' }),
    now: o.now,
  }).attach(app.server);
  harden(app, { bodyLimitBytes: l.httpBodyLimitBytes, tls: o.https !== null, metrics: o.metrics });

  const perClient = new AddressLimiter({ ratePerSec: AUTH_RATE, burst: AUTH_BURST, capacity: AUTH_CLIENTS });
  const limitAuth = async (req: FastifyRequest) => {
    const wait = perClient.take(clientKey(req.ip), o.now());
    if (wait === 0) return;
    o.metrics.authRefused.inc({ reason: 'client_rate' });
    throw new ApiError('rate_limited', 'too many attempts; wait and try again', wait);
  };

  const accounts = new LoginThrottle();
  const throttled = (account: string | undefined, req: FastifyRequest) => {
    const wait = account === undefined ? 0 : accounts.retryAfterMs(account, o.now());
    if (wait === 0) return;
    o.metrics.authRefused.inc({ reason: 'account_throttle' });
    req.log.info({ username: account, retryAfterMs: wait }, 'sign-in refused: too many failures for this account');
    throw new ApiError('rate_limited', 'too many failed sign-ins for this account; wait and try again', wait);
  };

  const hashing = new ConcurrencyGate(l.hashConcurrency, l.hashQueue);
  const withHashSlot = async <T>(task: () => Promise<T>): Promise<T> => {
    const done = await hashing.run(task);
    if (done) return done.value;
    o.metrics.authRefused.inc({ reason: 'busy' });
    throw new ApiError('unavailable', 'the server is busy checking other passwords; try again in a moment', BUSY_RETRY_MS);
  };

  const principal = async (req: FastifyRequest): Promise<Principal> => {
    const token = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new ApiError('auth_required', 'send Authorization: Bearer <access token>');
    const p = await o.auth.authenticate(token);
    if (p) return p;
    // The ids as the token states them (a forged token names whoever it likes); never the token.
    const claims = unverifiedClaims(token);
    req.log.info({ userId: claims?.sub, sessionId: claims?.sid }, 'access token refused');
    throw new ApiError('auth_invalid', 'access token invalid, expired or revoked');
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
  app.get(`${API_PREFIX}/server`, async () => ({
    name: 'courier' as const,
    version: o.version,
    protocol: PROTOCOL,
    registrationOpen: o.auth.registrationOpen,
  }));

  app.post(`${API_PREFIX}/auth/register`, { preHandler: limitAuth }, async (req, reply) => {
    const created = await withHashSlot(() => o.auth.register(req.body));
    req.log.info({ userId: created.user.id, sessionId: created.tokens.sessionId }, 'account registered');
    return reply.status(201).send(created);
  });
  app.post(`${API_PREFIX}/auth/login`, { preHandler: limitAuth }, async (req) => {
    // A body that does not parse has no account to count; AuthService says what is wrong with it.
    const account = LoginBodySchema.safeParse(req.body).data?.username;
    throttled(account, req);
    return withHashSlot(async () => {
      throttled(account, req); // again: failures of attempts queued alongside this one count too
      try {
        const signedIn = await o.auth.login(req.body);
        if (account !== undefined) accounts.succeeded(account);
        req.log.info({ userId: signedIn.user.id, sessionId: signedIn.tokens.sessionId }, 'signed in');
        return signedIn;
      } catch (error) {
        if (account !== undefined && error instanceof ApiError && error.code === 'invalid_credentials') {
          const { failures, waitMs } = accounts.failed(account, o.now());
          o.metrics.loginFailures.inc();
          req.log.warn({ username: account, failures, waitMs }, 'sign-in failed: wrong username or password');
        }
        throw error;
      }
    });
  });
  app.post(`${API_PREFIX}/auth/refresh`, { preHandler: limitAuth }, async (req) => {
    try {
      return { tokens: await o.auth.refresh(req.body) };
    } catch (error) {
      if (error instanceof ApiError && error.code === 'auth_invalid') req.log.info('refresh token refused');
      throw error;
    }
  });
  app.post(`${API_PREFIX}/auth/logout`, async (req, reply) => {
    const p = await principal(req);
    await o.auth.logout(p);
    req.log.info({ userId: p.userId, sessionId: p.sessionId }, 'signed out');
    return reply.status(204).send();
  });
  app.get(`${API_PREFIX}/sessions`, async (req) => ({ sessions: await o.auth.listSessions(await principal(req)) }));
  app.delete<{ Params: { id: string } }>(`${API_PREFIX}/sessions/:id`, async (req, reply) => {
    const p = await principal(req);
    await o.auth.revoke(p, req.params.id);
    req.log.info({ userId: p.userId, sessionId: p.sessionId, revoked: req.params.id }, 'session revoked');
    return reply.status(204).send();
  });

  return app;
}

function isFastifyClientError(error: unknown): error is { statusCode: number; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}
