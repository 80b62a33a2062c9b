import { describe, expect, it } from 'vitest';
import type { Tokens } from '../../shared/protocol';
import { CourierError, SessionEndedError } from '../errors';
import type { CourierHttp } from '../http-api';
import { SessionTokens, refreshDueAt } from './session-tokens';

function tokens(n: number, expiresAt: number): Tokens {
  return { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, accessExpiresAt: expiresAt, sessionId: 's1' };
}

/** A fake server's refresh endpoint that records the order of events with the vault. */
function setup(o: { refuse?: boolean; now?: () => number } = {}) {
  const log: string[] = [];
  let n = 1;
  let clock = 1_000_000;
  const now = o.now ?? (() => clock);
  const http = {
    refresh: async (token: string) => {
      log.push(`refresh ${token}`);
      await new Promise((r) => setImmediate(r)); // a real network round trip is never synchronous
      if (o.refuse) throw new CourierError('auth_invalid', 'refresh token reused', undefined, 401);
      n++;
      return tokens(n, now() + 900_000);
    },
  } as unknown as CourierHttp;
  const vault = {
    read: () => Promise.resolve(null),
    write: (s: string | null) => {
      log.push(`vault ${s}`);
      return Promise.resolve();
    },
  };
  const session = new SessionTokens(http, vault, 'refresh-1', undefined, now);
  return { session, log, advance: (ms: number) => (clock += ms) };
}

describe('SessionTokens', () => {
  it('writes the new refresh token to the vault before handing out the new access token', async () => {
    const { session, log } = setup();
    expect(await session.accessToken()).toBe('access-2');
    expect(log).toEqual(['refresh refresh-1', 'vault refresh-2']);
    session.stop();
  });

  it('shares one refresh between concurrent callers (a second would spend a used token)', async () => {
    const { session, log } = setup();
    const got = await Promise.all([session.accessToken(), session.accessToken(), session.accessToken()]);
    expect(got).toEqual(['access-2', 'access-2', 'access-2']);
    expect(log.filter((l) => l.startsWith('refresh'))).toHaveLength(1);
    session.stop();
  });

  it('reuses the access token until it is due, then refreshes with the newest refresh token', async () => {
    const { session, log, advance } = setup();
    await session.accessToken();
    advance(600_000);
    expect(await session.accessToken()).toBe('access-2');
    advance(300_000);
    expect(await session.accessToken()).toBe('access-3');
    expect(log.filter((l) => l.startsWith('refresh'))).toEqual(['refresh refresh-1', 'refresh refresh-2']);
    session.stop();
  });

  it('a refused refresh ends the session: the vault is cleared and SessionEndedError is thrown', async () => {
    const { session, log } = setup({ refuse: true });
    await expect(session.accessToken()).rejects.toBeInstanceOf(SessionEndedError);
    expect(log).toEqual(['refresh refresh-1', 'vault null']);
  });

  it('invalidate() forces a refresh at the next call', async () => {
    const { session } = setup();
    await session.accessToken();
    session.invalidate();
    expect(await session.accessToken()).toBe('access-3');
    session.stop();
  });

  it('refreshes a minute before expiry, or at half-life for short-lived tokens', () => {
    expect(refreshDueAt(0, 900_000)).toBe(840_000);
    expect(refreshDueAt(0, 30_000)).toBe(15_000);
    expect(refreshDueAt(100, 50)).toBe(100);
  });
});
