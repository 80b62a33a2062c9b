import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The signing key lives in the data folder (created on first run, readable by the owner only). */
export function loadOrCreateKey(dataDir: string): Buffer {
  const file = join(dataDir, 'signing.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64url'), { mode: 0o600, flag: 'wx' });
  return key;
}
