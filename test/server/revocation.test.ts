import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runAdmin } from '../../src/server/admin/run-admin';
import { startTestServer, syncAll, type TestServer } from '../helpers/server';

/**
 * Revocations made beside a running server (the admin CLI writes the same database)
 * reach the sockets that are open right now, within seconds, not at their next connect.
 */
let server: TestServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

async function admin(args: string[], input = ''): Promise<number> {
  const sink = new PassThrough().resume();
  return runAdmin({ argv: args, env: {}, stdin: Readable.from([input]), stdout: sink, stderr: sink });
}

describe('revocations from the admin CLI', () => {
  it.each([
    ['revoke-sessions', [], ''],
    ['reset-password', ['--password-stdin'], 'an entirely new password\n'],
    ['disable-user', [], ''],
  ] as const)('%s closes the user’s open sockets with 4003 within 5 s; other users keep theirs', async (command, extra, input) => {
    server = await startTestServer();
    const victim = await server.user();
    const bystander = await server.user();
    const sockets = [await victim.connect(), await victim.connect()];
    const other = await bystander.connect();
    for (const s of [...sockets, other]) await syncAll(s);
    const closes = sockets.map((s) => new Promise<number>((resolve) => s.onClose((code) => resolve(code))));
    expect(await admin([command, victim.name, ...extra, '--data-dir', server.dataDir], input)).toBe(0);
    // The promise is 5 s; the watch reads the log every second.
    const codes = await Promise.race([Promise.all(closes), new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
    expect(codes).toEqual([4003, 4003]);
    await expect(other.request('conversation.list', {})).resolves.toBeDefined();
    if (command === 'disable-user') {
      await expect(server.http.login({ username: victim.name, password: victim.password })).rejects.toMatchObject({ code: 'invalid_credentials' });
      expect(await admin(['enable-user', victim.name, '--data-dir', server.dataDir])).toBe(0);
      await expect(server.http.login({ username: victim.name, password: victim.password })).resolves.toBeDefined();
    }
  });
});

describe('refresh tokens', () => {
  it('a lost answer does not sign the user out: the same token again, at once, gets the same pair', async () => {
    server = await startTestServer();
    const u = await server.user();
    const first = await server.http.refresh(u.tokens.refreshToken);
    const again = await server.http.refresh(u.tokens.refreshToken);
    expect(again).toEqual(first);
    // The new pair works, and from then on the old token is a stolen copy.
    const next = await server.http.refresh(first.refreshToken);
    expect(next.refreshToken).not.toBe(first.refreshToken);
    await expect(server.http.refresh(u.tokens.refreshToken)).rejects.toMatchObject({ code: 'auth_invalid' });
    await expect(server.http.refresh(next.refreshToken)).rejects.toMatchObject({ code: 'auth_invalid' }); // the session was revoked
  });
});
