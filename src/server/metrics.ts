import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one server instance (its own registry, so tests can run several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'courier_process_' });
  const ms = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
  return {
    registry,
    connections: new Gauge({ name: 'courier_connections', help: 'Open authenticated WebSocket connections', registers: [registry] }),
    messages: new Counter({ name: 'courier_messages_total', help: 'Messages stored', registers: [registry] }),
    deliveries: new Counter({ name: 'courier_deliveries_total', help: 'Frames sent to sockets by fan-out', registers: [registry] }),
    ackLatency: new Histogram({ name: 'courier_message_ack_seconds', help: 'From frame received to ack sent', buckets: ms, registers: [registry] }),
    commitBatch: new Histogram({
      name: 'courier_commit_batch_size',
      help: 'Writes per group-commit transaction',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      labelNames: ['kind'],
      registers: [registry],
    }),
    commitLatency: new Histogram({ name: 'courier_commit_seconds', help: 'Group-commit transaction time', buckets: ms, labelNames: ['kind'], registers: [registry] }),
    rejected: new Counter({ name: 'courier_frames_rejected_total', help: 'Frames answered with an error', labelNames: ['code'], registers: [registry] }),
    closes: new Counter({
      name: 'courier_closes_total',
      help: 'Sockets closed, by close code: the one the server sent, the one ws closed with on its own (1007, 1009), else the one the peer sent (1006: no close frame); "heartbeat" for sockets cut after a missed ping',
      labelNames: ['code'],
      registers: [registry],
    }),
    httpConnections: new Gauge({ name: 'courier_http_connections', help: 'Open HTTP connections (not counting those upgraded to WebSocket)', registers: [registry] }),
    httpConnectionsRefused: new Counter({
      name: 'courier_http_connections_refused_total',
      help: 'HTTP connections closed at accept for being over a cap',
      labelNames: ['limit'],
      registers: [registry],
    }),
    httpClientErrors: new Counter({
      name: 'courier_http_client_errors_total',
      help: 'HTTP connections closed for a request that timed out, had oversized headers or did not parse',
      labelNames: ['kind'],
      registers: [registry],
    }),
    authRefused: new Counter({
      name: 'courier_auth_refused_total',
      help: 'Credential requests refused before any password check',
      labelNames: ['reason'],
      registers: [registry],
    }),
    loginFailures: new Counter({ name: 'courier_login_failures_total', help: 'Logins refused for a wrong username or password', registers: [registry] }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
