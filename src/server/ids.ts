import { randomBytes } from 'node:crypto';

/** Opaque server ids: a type prefix and 96 random bits (16 base64url characters). */
export function newId(prefix: 'u' | 'c' | 's'): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
