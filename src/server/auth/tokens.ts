import Database from 'better-sqlite3';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Access tokens are short-lived and signed (HMAC-SHA256 over a tiny JSON payload); the
 * server still checks their session is live on every use, so revocation is immediate.
 * Refresh tokens are random, single-use, and stored only as SHA-256 hashes.
 */
export interface AccessClaims {
  sub: string; // user id
  sid: string; // session id
  exp: number; // epoch ms
}

export class TokenSigner {
  constructor(private readonly key: Buffer) {}

  sign(claims: AccessClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The claims of a well-signed, unexpired token; null otherwise. */
  verify(token: string, now: number): AccessClaims | null {
    const dot = token.indexOf('.');
    if (dot <= 0 || token.length > 1024) return null;
    const payload = token.slice(0, dot);
    // Compare the text, not decoded bytes: base64url's last character has spare bits, and
    // decoding would let several spellings of one signature verify.
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (typeof claims !== 'object' || claims === null) return null;
    const { sub, sid, exp } = claims as Record<string, unknown>;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof exp !== 'number') return null;
    return exp > now ? { sub, sid, exp } : null;
  }

  /**
   * The refresh token that `presented` is exchanged for: derived from it with the server's
   * key, so a client whose answer was lost and who presents the old token again (within
   * the store's replay window) gets the very same one back, and nothing else could.
   */
  nextRefreshToken(presented: string): string {
    return createHmac('sha256', this.key).update(`refresh\u0000${presented}`).digest('base64url');
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/**
 * The ids a token claims, signature unchecked: for logging who a refused token said it
 * was. Never a basis for a decision.
 */
export function unverifiedClaims(token: string): { sub: string; sid: string } | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 1024) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return null;
    const { sub, sid } = claims as Record<string, unknown>;
    return typeof sub === 'string' && typeof sid === 'string' ? { sub: sub.slice(0, 64), sid: sid.slice(0, 64) } : null;
  } catch {
    return null;
  }
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export const SIGNING_KEY_FILE = 'signing.key';
/** HMAC-SHA256 wants a key at least as long as its output. */
const MIN_KEY_BYTES = 32;
/** server.ts's DATABASE_FILE (importing it from there would make an import cycle). */
const DATABASE_FILE = 'courier.db';

/**
 * The signing key lives in the data folder, readable by the owner only (0600 whatever
 * the umask: created so, and tightened if found looser). The first start creates it.
 *
 * A missing key is created only if no session was ever signed with one: when courier.db
 * holds live sessions, the key is missing by accident (a restore that left it behind, a
 * wrong --data-dir), and the operator should hear of it rather than have every access
 * token quietly turn invalid. Writing a new key by hand is the explicit way past that.
 */
export function loadOrCreateKey(dataDir: string): Buffer {
  const file = join(dataDir, SIGNING_KEY_FILE);
  if (existsSync(file)) return readKey(file);
  const database = join(dataDir, DATABASE_FILE);
  const sessions = liveSessionsIn(database);
  if (sessions > 0) {
    throw new Error(
      `${file} is missing, but ${database} holds ${sessions} signed-in session(s) whose access tokens it signed. ` +
        'Restore signing.key from the backup it belongs with; or, to carry on with a new key (each device then ' +
        `refreshes its access token once), create one: openssl rand -base64 32 > ${file} && chmod 600 ${file}`,
    );
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(MIN_KEY_BYTES);
  writeFileSync(file, key.toString('base64url'), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600); // the umask may have taken bits from the mode given above
  return key;
}

function readKey(file: string): Buffer {
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  if (key.length < MIN_KEY_BYTES) {
    throw new Error(
      `${file} holds ${key.length === 0 ? 'no key (it is empty)' : `a key of ${key.length} bytes`}; at least ${MIN_KEY_BYTES} bytes ` +
        `(base64) are needed. Restore it from a backup, or replace it: openssl rand -base64 32 > ${file}`,
    );
  }
  return key;
}

/** Live sessions in the database file; 0 when there is no file or no sessions table yet. */
function liveSessionsIn(file: string): number {
  if (!existsSync(file)) return 0;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return (db.prepare('SELECT count(*) AS n FROM sessions WHERE revoked_at IS NULL').get() as { n: number }).n;
  } catch {
    return 0; // not a Courier database (yet): nothing was ever signed for it
  } finally {
    db?.close();
  }
}
