import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenSigner } from './tokens';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('TokenSigner', () => {
  const signer = new TokenSigner(randomBytes(32));
  const claims = { sub: 'u_alice', sid: 's_laptop', exp: 2_000 };

  it('verifies its own token until it expires', () => {
    const token = signer.sign(claims);
    expect(signer.verify(token, 1_999)).toEqual(claims);
    expect(signer.verify(token, 2_000)).toBeNull();
  });

  it('accepts exactly one spelling of a signature', () => {
    const token = signer.sign(claims);
    const last = token.at(-1)!;
    // The last base64url character of a 32-byte MAC carries 2 spare bits: 3 other
    // characters decode to the same bytes. None of them may verify.
    const siblings = [...ALPHABET].filter((c) => c !== last && (ALPHABET.indexOf(c) >> 2) === (ALPHABET.indexOf(last) >> 2));
    expect(siblings).toHaveLength(3);
    for (const c of siblings) expect(signer.verify(token.slice(0, -1) + c, 0)).toBeNull();
  });

  it('rejects another key, a changed payload and garbage', () => {
    const token = signer.sign(claims);
    expect(new TokenSigner(randomBytes(32)).verify(token, 0)).toBeNull();
    const [payload, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'u_mallory' })).toString('base64url');
    expect(signer.verify(`${forged}.${mac}`, 0)).toBeNull();
    expect(signer.verify(`${payload}`, 0)).toBeNull();
    expect(signer.verify('', 0)).toBeNull();
  });
});
