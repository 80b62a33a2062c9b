import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard, built into Node). The parameters are stored
 * with each hash so they can be raised later without invalidating old passwords.
 * Format: scrypt$N$r$p$salt$hash (base64url).
 */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}
/** ~32 MiB and tens of milliseconds per hash: costly to brute-force, fine per login. */
export const DEFAULT_COST: ScryptCost = { N: 1 << 15, r: 8, p: 1 };

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(N), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a random password, so unknown usernames take as long as wrong passwords. */
let dummy: Promise<string> | null = null;
export function dummyHash(cost: ScryptCost): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'), cost);
  return dummy;
}
