import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CourierSocket } from '../../src/client';
import { runAdmin } from '../../src/server/admin/run-admin';
import { SqliteStore } from '../../src/server/store/sqlite/sqlite-store';
import { startTestServer, type TestServer } from '../helpers/server';

/** What the data folder looks like on disk: who may read it, and what the server refuses to start with. */
const PASSWORD = 'correct horse battery';
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8).padStart(3, '0');

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'courier-at-rest-'));
  dirs.push(dir);
  return dir;
}

/** Runs with the process umask at 000 (nothing masked), whatever happens inside. */
async function withUmask0<T>(body: () => Promise<T>): Promise<T> {
  const previous = process.umask(0);
  try {
    return await body();
  } finally {
    process.umask(previous);
  }
}

describe.runIf(process.platform !== 'win32')('file modes', () => {
  it('with umask 000: the data folder is 0700; courier.db, -wal, -shm, signing.key and a backup are 0600', async () => {
    const root = scratch();
    const dataDir = join(root, 'var', 'courier');
    await withUmask0(async () => {
      const s = await startTestServer({ dataDir });
      try {
        await s.user('alice'); // a write: the WAL has content
        expect({
          folder: mode(dataDir),
          db: mode(join(dataDir, 'courier.db')),
          wal: mode(join(dataDir, 'courier.db-wal')),
          shm: mode(join(dataDir, 'courier.db-shm')),
          key: mode(join(dataDir, 'signing.key')),
        }).toEqual({ folder: '700', db: '600', wal: '600', shm: '600', key: '600' });

        const backup = join(root, 'backup.db');
        const out = new PassThrough().resume();
        const code = await runAdmin({ argv: ['backup', backup, '--data-dir', dataDir], env: {}, stdin: Readable.from([]), stdout: out, stderr: out });
        expect(code).toBe(0);
        expect(mode(backup)).toBe('600');
      } finally {
        await s.stop();
      }
    });
  });

  it('tightens files and a folder left readable by an older version', async () => {
    const dataDir = join(scratch(), 'data');
    const first = await startTestServer({ dataDir });
    await first.user('bob');
    await first.stop();
    chmodSync(dataDir, 0o755);
    for (const file of ['courier.db', 'signing.key']) chmodSync(join(dataDir, file), 0o644);
    writeFileSync(join(dataDir, 'courier.db-wal'), '', { mode: 0o644 }); // a stray, empty WAL
    chmodSync(join(dataDir, 'courier.db-wal'), 0o644);

    const again = await startTestServer({ dataDir });
    try {
      expect([mode(dataDir), mode(join(dataDir, 'courier.db')), mode(join(dataDir, 'courier.db-wal')), mode(join(dataDir, 'signing.key'))]).toEqual([
        '700',
        '600',
        '600',
        '600',
      ]);
      await expect(again.http.login({ username: 'bob', password: PASSWORD })).resolves.toBeTruthy();
    } finally {
      await again.stop();
    }
  });
});

describe('the signing key', () => {
  /** startServer with a store the test closes itself, since a refused start never gets to close it. */
  async function startWith(dataDir: string): Promise<TestServer> {
    const store = new SqliteStore(join(dataDir, 'courier.db'));
    try {
      return await startTestServer({ dataDir }, { store });
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  async function folderWithASession(): Promise<{ dataDir: string; alice: Awaited<ReturnType<TestServer['user']>> }> {
    const dataDir = join(scratch(), 'data');
    const s = await startTestServer({ dataDir });
    const alice = await s.user('alice');
    await s.stop();
    return { dataDir, alice };
  }

  it.each([
    ['empty', '', /signing\.key holds no key \(it is empty\)/],
    ['too short', randomBytes(16).toString('base64url'), /signing\.key holds a key of 16 bytes; at least 32/],
    ['whitespace', '  \n', /signing\.key holds no key/],
  ])('refuses to start with an %s signing.key, naming the file', async (_name, content, message) => {
    const { dataDir } = await folderWithASession();
    const key = join(dataDir, 'signing.key');
    writeFileSync(key, content);
    await expect(startWith(dataDir)).rejects.toThrow(message);
    await expect(startWith(dataDir)).rejects.toThrow(key);
  });

  it('refuses to start when signing.key is missing but courier.db holds sessions; a key written by hand is the way on', async () => {
    const { dataDir, alice } = await folderWithASession();
    const key = join(dataDir, 'signing.key');
    unlinkSync(key);
    await expect(startWith(dataDir)).rejects.toThrow(`${key} is missing, but ${join(dataDir, 'courier.db')} holds 1 signed-in session(s)`);
    expect(existsSync(key)).toBe(false); // nothing was made up behind the operator's back

    writeFileSync(key, `${randomBytes(32).toString('base64')}\n`); // what `openssl rand -base64 32` writes
    const s = await startWith(dataDir);
    try {
      // Old access tokens are void; the refresh token still is not, so the device carries on.
      await expect(CourierSocket.connect({ serverUrl: s.url, accessToken: alice.tokens.accessToken })).rejects.toMatchObject({ code: 'auth_invalid' });
      const fresh = await s.http.refresh(alice.tokens.refreshToken);
      const socket = await CourierSocket.connect({ serverUrl: s.url, accessToken: fresh.accessToken });
      expect(socket.isOpen).toBe(true);
      await socket.close();
    } finally {
      await s.stop();
    }
  });

  it('creates a missing key when no session was ever signed with one', async () => {
    const dataDir = join(scratch(), 'data');
    const s = await startTestServer({ dataDir });
    await s.auth.createUser('carol', PASSWORD, null); // an account, but no session
    await s.stop();
    unlinkSync(join(dataDir, 'signing.key'));
    const again = await startWith(dataDir);
    await again.stop();
    expect(existsSync(join(dataDir, 'signing.key'))).toBe(true);
  });
});
