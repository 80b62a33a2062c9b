import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { CLOSE, CLOSE_REASONS, PROTOCOL, WS_PATH } from '../shared/protocol';
import { AuthService } from './auth/auth-service';
import type { ScryptCost } from './auth/passwords';
import { TokenSigner, loadOrCreateKey } from './auth/tokens';
import type { Bus } from './bus/bus';
import { LocalBus } from './bus/local-bus';
import type { ServerConfig } from './config';
import { GroupCommitter } from './group-commit';
import { createHttpApp } from './http/http-app';
import { startMetricsListener, type MetricsListener } from './http/metrics-listener';
import { createLogger, type Logger } from './logger';
import { createMetrics } from './metrics';
import type { RealtimeContext } from './realtime/context';
import { Dispatcher } from './realtime/dispatch';
import { Gateway } from './realtime/gateway';
import { Hub } from './realtime/hub';
import { PresenceService } from './realtime/presence';
import { RevocationWatch } from './realtime/revocation-watch';
import { Budgets, type AbusePolicy } from './realtime/budgets';
import { TypingRelay } from './realtime/typing';
import type { Store } from './store/store';
import { SqliteStore } from './store/sqlite/sqlite-store';
import { TokenBucket } from './token-bucket';

export const SERVER_VERSION = '0.1.0';
export const DATABASE_FILE = 'courier.db';

export interface ServerDeps {
  config: ServerConfig;
  /** Defaults to SQLite in config.dataDir. The server closes what it is given. */
  store?: Store;
  bus?: Bus;
  logger?: Logger;
  now?: () => number;
  passwordCost?: ScryptCost;
  /** Overrides of config.policy (per-account and per-conversation budgets). */
  policy?: Partial<AbusePolicy>;
}

export interface RunningServer {
  /** http(s)://host:port */
  url: string;
  /** ws(s)://host:port/ws */
  wsUrl: string;
  port: number;
  store: Store;
  auth: AuthService;
  logger: Logger;
  /** The underlying Node server (HTTP and upgrades), for embedding and tests. */
  httpServer: Server;
  /** http://host:port/metrics on the separate metrics listener (--metrics-host, --metrics-port). */
  metricsUrl: string;
  connectionCount(): number;
  /** Graceful stop: refuse new work, commit pending writes, close sockets with 1001. */
  close(): Promise<void>;
}

/** The composition root: picks the Store and Bus and wires every part together. */
export async function startServer(deps: ServerDeps): Promise<RunningServer> {
  const { config } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const now = deps.now ?? Date.now;
  const store = deps.store ?? new SqliteStore(join(config.dataDir, DATABASE_FILE));
  const bus = deps.bus ?? new LocalBus();
  await store.ready();
  const metrics = createMetrics();
  const onError = (err: unknown) => logger.error({ err }, 'background task failed');

  const hub = new Hub(bus, metrics);
  const auth = new AuthService({
    store,
    signer: new TokenSigner(loadOrCreateKey(config.dataDir)),
    now,
    accessTokenTtlMs: config.accessTokenTtlMs,
    registrationOpen: config.registrationOpen,
    ...(deps.passwordCost ? { passwordCost: deps.passwordCost } : {}),
    onRevoked: (sessionIds, reason) => {
      logger.info({ sessions: sessionIds.length, reason }, 'sessions revoked');
      bus.publish({ kind: 'closeSessions', sessionIds, code: CLOSE.sessionRevoked, reason: CLOSE_REASONS.sessionEnded });
    },
  });
  const ctx: RealtimeContext = {
    store,
    bus,
    hub,
    logger,
    metrics,
    now,
    messages: new GroupCommitter((batch) => store.appendMessages(batch), {
      maxBatch: 1000,
      minIntervalMs: config.commitIntervalMs,
      onBatch: (size, seconds) => {
        metrics.commitBatch.observe({ kind: 'messages' }, size);
        metrics.commitLatency.observe({ kind: 'messages' }, seconds);
      },
    }),
    receipts: new GroupCommitter((batch) => store.markReceipts(batch), {
      maxBatch: 1000,
      minIntervalMs: config.commitIntervalMs,
      onBatch: (size, seconds) => {
        metrics.commitBatch.observe({ kind: 'receipts' }, size);
        metrics.commitLatency.observe({ kind: 'receipts' }, seconds);
      },
    }),
    presence: new PresenceService({ store, bus, hub, now, graceMs: config.presenceGraceMs, onError }),
    typing: new TypingRelay({ store, bus, now }),
    budgets: new Budgets({ ...config.policy, ...deps.policy }, now),
  };
  const dispatcher = new Dispatcher(ctx, (t) => new TokenBucket(config.rateMessagesPerSec, config.rateMessagesPerSec * 2, t), auth);
  const gateway = new Gateway(ctx, {
    auth,
    dispatcher,
    allowedOrigins: config.allowedOrigins,
    heartbeatMs: config.heartbeatMs,
    maxConnections: config.maxConnections,
    maxUnauthenticated: config.maxUnauthenticated,
    maxBufferedBytes: config.maxBufferedBytes,
    rateFramesPerSec: config.rateFramesPerSec,
    rateMessagesPerSec: config.rateMessagesPerSec,
    onUserGone: (userId) => dispatcher.forgetUser(userId),
  });

  let stopping = false;
  const https = config.tls
    ? { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key), minVersion: config.tlsMinVersion, ciphers: config.tlsCiphers, honorCipherOrder: true }
    : null;
  const app = createHttpApp({ auth, logger, metrics, now, version: SERVER_VERSION, https, isReady: () => !stopping, limits: config });
  app.server.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
  const sweeper = setInterval(() => {
    const t = now();
    ctx.presence.sweep(t);
    ctx.typing.sweep(t);
    gateway.expireTokens(t);
  }, Math.max(50, Math.min(1000, config.presenceGraceMs / 4))); // offline is announced within grace + ¼ grace
  sweeper.unref();
  // Revocations made by another process (the admin CLI, another node) close sockets here too.
  const revocations = new RevocationWatch({ store, bus, now, onError });
  await revocations.start();

  let metricsListener: MetricsListener;
  try {
    await app.listen({ host: config.host, port: config.port });
    metricsListener = await startMetricsListener({ host: config.metricsHost, port: config.metricsPort, token: config.metricsToken, registry: metrics.registry, logger });
  } catch (error) {
    // e.g. the port is taken: release everything started above before reporting it.
    await app.close();
    clearInterval(sweeper);
    await revocations.stop();
    gateway.close();
    hub.close();
    await bus.close();
    await store.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `${https ? 'https' : 'http'}://${host}:${port}`;
  logger.info({ url, ws: `${url.replace(/^http/, 'ws')}${WS_PATH}`, metrics: metricsListener.url, protocol: PROTOCOL, dataDir: config.dataDir }, 'courier server listening');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      stopping = true;
      gateway.stopAccepting();
      const httpClosed = app.close();
      await ctx.messages.drain();
      await ctx.receipts.drain();
      gateway.closeAll(CLOSE.goingAway, 'server shutting down');
      const deadline = Date.now() + 2000;
      while (gateway.connectionCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      gateway.close();
      clearInterval(sweeper);
      await revocations.stop();
      hub.close();
      await httpClosed;
      await metricsListener.close();
      await bus.close();
      await store.close();
      logger.info('courier server stopped');
    })());

  return {
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}${WS_PATH}`,
    port,
    store,
    auth,
    logger,
    httpServer: app.server,
    metricsUrl: metricsListener.url,
    connectionCount: () => gateway.connectionCount,
    close,
  };
}
