import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Server configuration from flags (--port 8787) and environment (COURIER_PORT=8787);
 * flags win. Validated once at start; a bad value stops the server with a message that
 * names the flag, the variable and what is expected.
 */
// Digits only: z.coerce.number() would read "" and " " as 0 (for --port: any free port) and accept 1e3 or 0x50.
const int = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

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
  'max-connections': { env: 'COURIER_MAX_CONNECTIONS', schema: int(1, 1_000_000), default: '20000', help: 'sockets accepted at once' },
  'max-buffered-bytes': { env: 'COURIER_MAX_BUFFERED_BYTES', schema: int(16_384, 1 << 30), default: String(1 << 20), help: 'unsent bytes per socket before it is dropped as a slow consumer' },
  'rate-messages': { env: 'COURIER_RATE_MESSAGES', schema: int(1, 100_000), default: '30', help: 'messages per second per user (burst: 2x)' },
  'rate-frames': { env: 'COURIER_RATE_FRAMES', schema: int(1, 100_000), default: '60', help: 'frames per second per connection (burst: 2x)' },
  'access-token-ttl-s': { env: 'COURIER_ACCESS_TOKEN_TTL_S', schema: int(30, 900), default: '900', help: 'access token lifetime, at most 15 minutes' },
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
  maxBufferedBytes: number;
  rateMessagesPerSec: number;
  rateFramesPerSec: number;
  accessTokenTtlMs: number;
}

export class ConfigError extends Error {}

export function usage(): string {
  const lines = Object.entries(OPTIONS).map(
    ([flag, o]) => `  --${flag.padEnd(20)} ${o.env.padEnd(28)} ${o.help} (default: ${o.default || 'none'})`,
  );
  return `Usage: npm run server -- [options]\n\nOption                 Environment variable         Meaning\n${lines.join('\n')}\n`;
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
  return {
    host: read('host'),
    port: read('port'),
    dataDir: resolve(read('data-dir')),
    logLevel: read('log-level'),
    allowedOrigins: origins,
    tls: cert ? { cert, key } : null,
    registrationOpen: read('registration') === 'open',
    heartbeatMs: read('heartbeat-ms'),
    presenceGraceMs: read('presence-grace-ms'),
    maxConnections: read('max-connections'),
    maxBufferedBytes: read('max-buffered-bytes'),
    rateMessagesPerSec: read('rate-messages'),
    rateFramesPerSec: read('rate-frames'),
    accessTokenTtlMs: read('access-token-ttl-s') * 1000,
  };
}
