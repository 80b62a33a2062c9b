import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runAdmin } from '../../src/server/admin/run-admin';
import { startTestServer } from '../helpers/server';

/** Runs one admin command in this process, as `npm run admin -- …args` would. */
async function admin(args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const collect = () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
  };
  const out = collect();
  const err = collect();
  const code = await runAdmin({ argv: args, env: {}, stdin: Readable.from([input]), stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('admin CLI', () => {
  it('creates a user while registration is closed and resets a password, signing the user out', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courier-admin-'));
    const created = await admin(['create-user', 'Ops.Lead', '--display-name', 'Ops Lead', '--data-dir', dataDir]);
    const password = /password: (\S+)/.exec(created.stdout)?.[1];
    expect(created).toMatchObject({ code: 0, stdout: expect.stringMatching(/^created ops\.lead \(u_/) });
    expect(password).toBeDefined();

    const server = await startTestServer({ dataDir, registrationOpen: false });
    try {
      const login = await server.http.login({ username: 'ops.lead', password: password! });
      expect(login.user).toMatchObject({ username: 'ops.lead', displayName: 'Ops Lead' });
      await expect(server.http.register({ username: 'someone', password: 'long enough' })).rejects.toMatchObject({ code: 'registration_closed' });

      const reset = await admin(['reset-password', 'ops.lead', '--password-stdin', '--data-dir', dataDir], 'a brand new password\n');
      expect(reset.code).toBe(0);
      await expect(server.http.login({ username: 'ops.lead', password: password! })).rejects.toMatchObject({ code: 'invalid_credentials' });
      await expect(server.http.login({ username: 'ops.lead', password: 'a brand new password' })).resolves.toBeDefined();
      await expect(server.http.refresh(login.tokens.refreshToken)).rejects.toMatchObject({ code: 'auth_invalid' });
    } finally {
      await server.stop();
    }
    expect(await admin(['create-user', 'x', '--data-dir', dataDir])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^courier admin: username: /) });
    expect(await admin(['create-user'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Usage: /) });
  });

  it('backs up a live database while the server is writing to it', async () => {
    const server = await startTestServer();
    try {
      const alice = await server.user();
      const bob = await server.user();
      const a = await alice.connect();
      const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
      const writing = Promise.all(Array.from({ length: 300 }, (_, i) => a.send(conversation.id, `m${i}`)));
      const file = join(server.dataDir, 'backup.db');
      const out = await admin(['backup', file, '--data-dir', server.dataDir]);
      await writing;
      expect(out).toMatchObject({ code: 0, stdout: expect.stringMatching(/backed up/) });
      const copy = new Database(file, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const { n } = copy.prepare('SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ?').get(conversation.id) as { n: number };
      const { max } = copy.prepare('SELECT MAX(seq) AS max FROM messages WHERE conversation_id = ?').get(conversation.id) as { max: number };
      expect(n).toBe(max); // a consistent snapshot: gapless up to whatever it caught
      copy.close();
    } finally {
      await server.stop();
    }
  });

  // The entry file only wires the process's streams to runAdmin; one real run proves the wiring.
  it('runs as `npm run admin` (tsx src/server/admin-cli.ts) with the exit code of its command', async () => {
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const help = await promisify(execFile)(tsx, ['src/server/admin-cli.ts', '--help'], { cwd: process.cwd() });
    expect(help.stdout).toMatch(/^Usage: npm run admin/);
    await expect(promisify(execFile)(tsx, ['src/server/admin-cli.ts', 'nonsense'], { cwd: process.cwd() })).rejects.toMatchObject({ code: 2 });
  }, 60_000);
});
