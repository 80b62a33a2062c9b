import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

function admin(args: string[], input?: string) {
  const child = run(TSX, ['src/server/admin-cli.ts', ...args], { cwd: process.cwd() });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return child;
}

describe('admin CLI', () => {
  it('creates a user while registration is closed and resets a password, signing the user out', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courier-admin-'));
    const created = await admin(['create-user', 'Ops.Lead', '--display-name', 'Ops Lead', '--data-dir', dataDir]);
    const password = /password: (\S+)/.exec(created.stdout)?.[1];
    expect(created.stdout).toMatch(/^created ops\.lead \(u_/);
    expect(password).toBeDefined();

    const server = await startTestServer({ dataDir, registrationOpen: false });
    try {
      const login = await server.http.login({ username: 'ops.lead', password: password! });
      expect(login.user).toMatchObject({ username: 'ops.lead', displayName: 'Ops Lead' });
      await expect(server.http.register({ username: 'someone', password: 'long enough' })).rejects.toMatchObject({ code: 'registration_closed' });

      await admin(['reset-password', 'ops.lead', '--password-stdin', '--data-dir', dataDir], 'a brand new password\n');
      await expect(server.http.login({ username: 'ops.lead', password: password! })).rejects.toMatchObject({ code: 'invalid_credentials' });
      await expect(server.http.login({ username: 'ops.lead', password: 'a brand new password' })).resolves.toBeDefined();
      await expect(server.http.refresh(login.tokens.refreshToken)).rejects.toMatchObject({ code: 'auth_invalid' });
    } finally {
      await server.stop();
    }
    await expect(admin(['create-user', 'x', '--data-dir', dataDir])).rejects.toMatchObject({ code: 1 });
  });
});
