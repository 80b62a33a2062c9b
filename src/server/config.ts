import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_ABUSE_POLICY, type AbusePolicy } from './realtime/budgets';
import { parseTrustedProxies } from './http/addresses';

/**
 * Server configuration from flags (--port 8787) and environment (COURIER_PORT=8787);
 * flags win. Validated once at start; a bad value stops the server with a message that
 * names the flag, the variable and what is expected.
 */
// Digits only: z.coerce.number() would read "" and " " as 0 (for --port: any free port) and accept 1e3 or 0x50.
const int = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

/**
 * TLS 1.3's three suites and, for TLS 1.2, only ECDHE key exchange (forward secrecy) with
 * AEAD ciphers (GCM, ChaCha20-Poly1305): Mozilla's "intermediate" list without DHE. No CBC,
 * no static-RSA key exchange, no SHA-1 MACs.
 */
export const DEFAULT_TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** Concurrent password hashes: enough to keep every core busy, few enough that each finishes fast. */
const CORES = availableParallelism();

const OPTIONS = {
  host: { env: 'COURIER_HOST', schema: z.string().min(1), default: '127.0.0.1', help: 'address to listen on' },
  port: { env: 'COURIER_PORT', schema: int(0, 65535), default: '8787', help: 'TCP port (0 = any free port)' },
  'data-dir': { env: 'COURIER_DATA_DIR', schema: z.string().min(1), default: './data', help: 'folder for the database and secret key' },
  'log-level': {
    env: 'COURIER_LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    help: 'fatal|error|warn|info|debug|trace|silent',
  },
  'allowed-origins': {
    env: 'COURIER_ALLOWED_ORIGINS',
    schema: z.string(),
    default: '',
    help: 'comma-separated exact browser origins allowed to open a socket (non-browser clients send none)',
  },
  'tls-cert': { env: 'COURIER_TLS_CERT', schema: z.string(), default: '', help: 'PEM certificate file: serve https/wss' },
  'tls-key': { env: 'COURIER_TLS_KEY', schema: z.string(), default: '', help: 'PEM private key file for --tls-cert' },
  registration: { env: 'COURIER_REGISTRATION', schema: z.enum(['open', 'closed']), default: 'open', help: 'open|closed' },
  'heartbeat-ms': { env: 'COURIER_HEARTBEAT_MS', schema: int(1000, 300_000), default: '25000', help: 'server ping interval' },
  'presence-grace-ms': { env: 'COURIER_PRESENCE_GRACE_MS', schema: int(0, 600_000), default: '5000', help: 'offline after this long without a connection' },
  'max-connections': { env: 'COURIER_MAX_CONNECTIONS', schema: int(1, 1_000_000), default: '20000', help: 'authenticated sockets at once' },
  'max-unauthenticated': { env: 'COURIER_MAX_UNAUTHENTICATED', schema: int(1, 1_000_000), default: '1000', help: 'sockets still to authenticate (first-frame auth) at once; header-authenticated upgrades never wait on them' },
  'commit-interval-ms': { env: 'COURIER_COMMIT_INTERVAL_MS', schema: int(0, 100), default: '2', help: 'under load, a group commit (one transaction and one fdatasync for many messages) starts at most this often; 0 = every event-loop turn' },
  'max-buffered-bytes': { env: 'COURIER_MAX_BUFFERED_BYTES', schema: int(16_384, 1 << 30), default: String(1 << 20), help: 'unsent bytes per socket before it is dropped as a slow consumer' },
  'rate-messages': { env: 'COURIER_RATE_MESSAGES', schema: int(1, 100_000), default: '30', help: 'messages per second per user (burst: 2x)' },
  'rate-frames': { env: 'COURIER_RATE_FRAMES', schema: int(1, 100_000), default: '60', help: 'frames per second per connection (burst: 2x)' },
  'access-token-ttl-s': { env: 'COURIER_ACCESS_TOKEN_TTL_S', schema: int(30, 900), default: '900', help: 'access token lifetime, at most 15 minutes' },
  directory: { env: 'COURIER_DIRECTORY', schema: z.enum(['open', 'exact']), default: DEFAULT_ABUSE_POLICY.directory, help: 'user search: open (prefix of 3+ characters, or exact) | exact (whole usernames only)' },
  'budget-groups-per-hour': { env: 'COURIER_BUDGET_GROUPS_PER_HOUR', schema: int(1, 1_000_000), default: String(DEFAULT_ABUSE_POLICY.groupsPerHour), help: 'groups one account may create per hour' },
  'budget-members-per-hour': { env: 'COURIER_BUDGET_MEMBERS_PER_HOUR', schema: int(1, 10_000_000), default: String(DEFAULT_ABUSE_POLICY.membersAddedPerHour), help: 'people one account may add to groups per hour' },
  'budget-directs-per-hour': { env: 'COURIER_BUDGET_DIRECTS_PER_HOUR', schema: int(1, 1_000_000), default: String(DEFAULT_ABUSE_POLICY.directsPerHour), help: 'direct chats one account may start per hour' },
  'budget-changes-per-minute': { env: 'COURIER_BUDGET_CHANGES_PER_MINUTE', schema: int(1, 1_000_000), default: String(DEFAULT_ABUSE_POLICY.conversationChangesPerMinute), help: 'title and membership changes per conversation per minute' },
  'budget-reads-per-sec': { env: 'COURIER_BUDGET_READS_PER_SEC', schema: int(1, 1_000_000), default: String(DEFAULT_ABUSE_POLICY.readsPerSecond), help: 'read requests (history, lists, search) per account per second (burst: 2x)' },
  'budget-read-bytes-per-sec': { env: 'COURIER_BUDGET_READ_BYTES_PER_SEC', schema: int(1024, 1 << 30), default: String(DEFAULT_ABUSE_POLICY.readBytesPerSecond), help: 'bytes of read answers per account per second (burst: 4x)' },
  'budget-searches-per-minute': { env: 'COURIER_BUDGET_SEARCHES_PER_MINUTE', schema: int(1, 1_000_000), default: String(DEFAULT_ABUSE_POLICY.searchesPerMinute), help: 'directory searches per account per minute' },
  'http-request-timeout-ms': { env: 'COURIER_HTTP_REQUEST_TIMEOUT_MS', schema: int(1000, 600_000), default: '30000', help: 'a request (headers and body) must arrive within this' },
  'http-headers-timeout-ms': { env: 'COURIER_HTTP_HEADERS_TIMEOUT_MS', schema: int(1000, 600_000), default: '10000', help: 'request headers (and the TLS handshake) must arrive within this' },
  'http-keep-alive-ms': { env: 'COURIER_HTTP_KEEP_ALIVE_MS', schema: int(1000, 600_000), default: '5000', help: 'an idle keep-alive connection is closed after this' },
  'http-idle-timeout-ms': { env: 'COURIER_HTTP_IDLE_TIMEOUT_MS', schema: int(1000, 3_600_000), default: '60000', help: 'an HTTP connection with no traffic either way is closed after this' },
  'http-body-limit': { env: 'COURIER_HTTP_BODY_LIMIT', schema: int(1024, 1 << 20), default: '16384', help: 'largest request body in bytes, on every route' },
  'http-max-connections': { env: 'COURIER_HTTP_MAX_CONNECTIONS', schema: int(1, 1_000_000), default: '10000', help: 'HTTP connections at once (WebSockets not included)' },
  'http-max-connections-per-ip': { env: 'COURIER_HTTP_MAX_CONNECTIONS_PER_IP', schema: int(1, 1_000_000), default: '256', help: 'HTTP connections at once from one address (IPv6: one /64)' },
  'trust-proxy': { env: 'COURIER_TRUST_PROXY', schema: z.string(), default: '', help: 'comma-separated proxy addresses/CIDRs (or loopback, linklocal, uniquelocal) whose X-Forwarded-For is believed' },
  'hash-concurrency': { env: 'COURIER_HASH_CONCURRENCY', schema: int(1, 1024), default: String(2 * CORES), help: 'password hashes at once (login, registration); default 2 per core' },
  'hash-queue': { env: 'COURIER_HASH_QUEUE', schema: int(0, 10_000), default: String(2 * CORES), help: 'logins/registrations waiting for a hash slot; beyond it: 503 at once' },
  'metrics-host': { env: 'COURIER_METRICS_HOST', schema: z.string().min(1), default: '127.0.0.1', help: 'address of the separate /metrics listener' },
  'metrics-port': { env: 'COURIER_METRICS_PORT', schema: int(0, 65535), default: '9787', help: 'port of the /metrics listener (0 = any free port)' },
  'metrics-token': { env: 'COURIER_METRICS_TOKEN', schema: z.string(), default: '', help: 'if set, /metrics requires Authorization: Bearer <token> (16+ characters)' },
  'tls-min-version': { env: 'COURIER_TLS_MIN_VERSION', schema: z.enum(['TLSv1.2', 'TLSv1.3']), default: 'TLSv1.2', help: 'TLSv1.2|TLSv1.3' },
  'tls-ciphers': { env: 'COURIER_TLS_CIPHERS', schema: z.string().min(1), default: DEFAULT_TLS_CIPHERS, help: 'OpenSSL cipher list (TLS 1.3 suites included)' },
} as const;

type Key = keyof typeof OPTIONS;

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  logLevel: z.infer<(typeof OPTIONS)['log-level']['schema']>;
  allowedOrigins: string[];
  tls: { cert: string; key: string } | null;
  registrationOpen: boolean;
  heartbeatMs: number;
  presenceGraceMs: number;
  maxConnections: number;
  maxUnauthenticated: number;
  commitIntervalMs: number;
  maxBufferedBytes: number;
  rateMessagesPerSec: number;
  rateFramesPerSec: number;
  accessTokenTtlMs: number;
  /** Per-account and per-conversation budgets (realtime/budgets.ts). */
  policy: AbusePolicy;
  httpRequestTimeoutMs: number;
  /** At most httpRequestTimeoutMs (Node refuses a longer one). */
  httpHeadersTimeoutMs: number;
  httpKeepAliveTimeoutMs: number;
  httpIdleTimeoutMs: number;
  httpBodyLimitBytes: number;
  httpMaxConnections: number;
  httpMaxConnectionsPerIp: number;
  /** Addresses and CIDRs (already validated) of reverse proxies whose X-Forwarded-For is believed; empty: none. */
  trustProxy: string[];
  hashConcurrency: number;
  hashQueue: number;
  metricsHost: string;
  metricsPort: number;
  metricsToken: string | null;
  tlsMinVersion: 'TLSv1.2' | 'TLSv1.3';
  tlsCiphers: string;
}

export class ConfigError extends Error {}

export function usage(): string {
  const lines = Object.entries(OPTIONS).map(
    ([flag, o]) => `  --${flag.padEnd(28)} ${o.env.padEnd(36)} ${o.help} (default: ${o.default || 'none'})`,
  );
  return `Usage: npm run server -- [options]\n\n${'Option'.padEnd(31)}${'Environment variable'.padEnd(37)}Meaning\n${lines.join('\n')}\n`;
}

export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.keys(OPTIONS).map((k) => [k, { type: 'string' as const }])),
    strict: true,
  }) as { values: Partial<Record<Key, string>> };
  const read = <K extends Key>(key: K): z.infer<(typeof OPTIONS)[K]['schema']> => {
    const option = OPTIONS[key];
    const raw = values[key] ?? env[option.env] ?? option.default;
    const parsed = option.schema.safeParse(raw);
    if (!parsed.success) {
      throw new ConfigError(`--${key} / ${option.env}: "${raw}" is not valid (${option.help}): ${parsed.error.issues[0]?.message}`);
    }
    return parsed.data as z.infer<(typeof OPTIONS)[K]['schema']>;
  };
  const cert = read('tls-cert');
  const key = read('tls-key');
  if (Boolean(cert) !== Boolean(key)) throw new ConfigError('--tls-cert and --tls-key go together: give both or neither');
  const origins = read('allowed-origins').split(',').map((s) => s.trim()).filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin) && origin !== 'null') {
      throw new ConfigError(`--allowed-origins: "${origin}" is not an origin like https://chat.example.com (no path)`);
    }
  }
  const requestTimeout = read('http-request-timeout-ms');
  const headersTimeout = read('http-headers-timeout-ms');
  if (headersTimeout > requestTimeout) {
    throw new ConfigError(`--http-headers-timeout-ms (${headersTimeout}) must not exceed --http-request-timeout-ms (${requestTimeout})`);
  }
  const port = read('port');
  const metricsPort = read('metrics-port');
  if (metricsPort !== 0 && metricsPort === port) throw new ConfigError(`--metrics-port ${metricsPort} is the same as --port: /metrics needs a listener of its own`);
  const metricsToken = read('metrics-token');
  if (metricsToken !== '' && metricsToken.length < 16) throw new ConfigError('--metrics-token / COURIER_METRICS_TOKEN: use at least 16 characters');
  const trustProxy = parseTrustedProxies(read('trust-proxy'));
  if (!trustProxy.ok) throw new ConfigError(`--trust-proxy / COURIER_TRUST_PROXY: "${trustProxy.bad}" is not an IP address, a CIDR (10.0.0.0/8) or one of loopback, linklocal, uniquelocal`);
  const tlsCiphers = read('tls-ciphers');
  try {
    createSecureContext({ ciphers: tlsCiphers });
  } catch (error) {
    throw new ConfigError(`--tls-ciphers / COURIER_TLS_CIPHERS: OpenSSL accepts none of "${tlsCiphers}" (${error instanceof Error ? error.message : String(error)})`);
  }
  return {
    host: read('host'),
    port,
    dataDir: resolve(read('data-dir')),
    logLevel: read('log-level'),
    allowedOrigins: origins,
    tls: cert ? { cert, key } : null,
    registrationOpen: read('registration') === 'open',
    heartbeatMs: read('heartbeat-ms'),
    presenceGraceMs: read('presence-grace-ms'),
    maxConnections: read('max-connections'),
    maxUnauthenticated: read('max-unauthenticated'),
    commitIntervalMs: read('commit-interval-ms'),
    maxBufferedBytes: read('max-buffered-bytes'),
    rateMessagesPerSec: read('rate-messages'),
    rateFramesPerSec: read('rate-frames'),
    accessTokenTtlMs: read('access-token-ttl-s') * 1000,
    policy: {
      directory: read('directory'),
      groupsPerHour: read('budget-groups-per-hour'),
      membersAddedPerHour: read('budget-members-per-hour'),
      directsPerHour: read('budget-directs-per-hour'),
      conversationChangesPerMinute: read('budget-changes-per-minute'),
      readsPerSecond: read('budget-reads-per-sec'),
      readBytesPerSecond: read('budget-read-bytes-per-sec'),
      searchesPerMinute: read('budget-searches-per-minute'),
    },
    httpRequestTimeoutMs: requestTimeout,
    httpHeadersTimeoutMs: headersTimeout,
    httpKeepAliveTimeoutMs: read('http-keep-alive-ms'),
    httpIdleTimeoutMs: read('http-idle-timeout-ms'),
    httpBodyLimitBytes: read('http-body-limit'),
    httpMaxConnections: read('http-max-connections'),
    httpMaxConnectionsPerIp: read('http-max-connections-per-ip'),
    trustProxy: trustProxy.entries,
    hashConcurrency: read('hash-concurrency'),
    hashQueue: read('hash-queue'),
    metricsHost: read('metrics-host'),
    metricsPort,
    metricsToken: metricsToken || null,
    tlsMinVersion: read('tls-min-version'),
    tlsCiphers,
  };
}
