import { randomBytes } from 'node:crypto';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DisplayNameSchema, PasswordSchema, UsernameSchema } from '../../shared/protocol';
import { AuthService } from '../auth/auth-service';
import { TokenSigner, loadOrCreateKey } from '../auth/tokens';
import { ApiError } from '../errors';
import { DATABASE_FILE } from '../server';
import { privateFile } from '../store/sqlite/database';
import { SqliteStore } from '../store/sqlite/sqlite-store';

export const ADMIN_USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-user <username> [--display-name NAME]   create an account (works while registration is closed)
  reset-password <username>                      set a new password and sign out all of the user's devices
  revoke-sessions <username>                     sign out all of the user's devices
  disable-user <username>                        sign the user out everywhere and refuse their sign-ins
  enable-user <username>                         let a disabled user sign in again
  backup <file>                                  copy the live database to <file> (safe while the server runs)

Options:
  --data-dir DIR      the server's data folder (default: $COURIER_DATA_DIR or ./data)
  --password-stdin    read the password from standard input instead of generating one

A generated password is printed once. The server may keep running: SQLite's WAL lets the
CLI write beside it, and a running server closes the sockets of every session the CLI
signs out within a few seconds.
`;

/** Where the admin CLI reads and writes: the process's own streams, or a test's. */
export interface AdminIo {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

async function readPassword(io: AdminIo, fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: randomBytes(12).toString('base64url'), generated: true };
  const rl = createInterface({ input: io.stdin });
  const line = (await rl[Symbol.asyncIterator]().next()).value as string | undefined;
  rl.close();
  const parsed = PasswordSchema.safeParse(line?.trim() ?? '');
  if (!parsed.success) throw new ApiError('invalid_request', `password: ${parsed.error.issues[0]?.message}`);
  return { password: parsed.data, generated: false };
}

/**
 * `npm run admin`, as a function: runs one command and returns the exit code (0 done,
 * 1 failed with a message on stderr, 2 usage). It owns and closes the database it opens.
 */
export async function runAdmin(io: AdminIo): Promise<number> {
  try {
    return await run(io);
  } catch (error) {
    io.stderr.write(`courier admin: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function run(io: AdminIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...io.argv],
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      'display-name': { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, name] = positionals;
  if (values.help || !command || !name) {
    (values.help ? io.stdout : io.stderr).write(ADMIN_USAGE);
    return values.help ? 0 : 2;
  }
  const dataDir = values['data-dir'] ?? io.env['COURIER_DATA_DIR'] ?? './data';
  const store = new SqliteStore(join(dataDir, DATABASE_FILE));
  try {
    if (command === 'backup') {
      // SQLite's online backup: a consistent snapshot while the server keeps writing. The
      // copy holds everything the database does: 0600 like it, whatever the umask.
      privateFile(name);
      await store.db.backup(name);
      chmodSync(name, 0o600);
      io.stdout.write(`backed up ${join(dataDir, DATABASE_FILE)} to ${name}\n`);
      return 0;
    }
    const username = UsernameSchema.safeParse(name);
    if (!username.success) throw new ApiError('invalid_request', `username: ${username.error.issues[0]?.message}`);
    const auth = new AuthService({
      store,
      signer: new TokenSigner(loadOrCreateKey(dataDir)),
      now: Date.now,
      accessTokenTtlMs: 60_000,
      registrationOpen: false,
      onRevoked: (ids) => io.stdout.write(`signed out ${ids.length} session(s)\n`),
    });
    if (command === 'create-user') {
      const displayName = values['display-name'] === undefined ? null : DisplayNameSchema.parse(values['display-name']);
      const { password, generated } = await readPassword(io, values['password-stdin'] ?? false);
      const user = await auth.createUser(username.data, password, displayName);
      io.stdout.write(`created ${user.username} (${user.id})\n${generated ? `password: ${password}\n` : ''}`);
      return 0;
    }
    const found = await store.findUserForLogin(username.data);
    if (!found) throw new ApiError('user_not_found', `no user named ${username.data}`);
    if (command === 'reset-password') {
      const { password, generated } = await readPassword(io, values['password-stdin'] ?? false);
      await auth.setPassword(found.user.id, password);
      io.stdout.write(`password of ${username.data} reset\n${generated ? `password: ${password}\n` : ''}`);
      return 0;
    }
    if (command === 'disable-user' || command === 'enable-user') {
      const disable = command === 'disable-user';
      const revoked = (await store.setDisabled(found.user.id, disable, Date.now())) ?? [];
      io.stdout.write(disable ? `disabled ${username.data}; signed out ${revoked.length} session(s)\n` : `enabled ${username.data}\n`);
      return 0;
    }
    if (command === 'revoke-sessions') {
      const ids = await store.revokeAllSessions(found.user.id, Date.now());
      io.stdout.write(`signed out ${ids.length} session(s) of ${username.data}\n`);
      return 0;
    }
    io.stderr.write(`unknown command "${command}"\n\n${ADMIN_USAGE}`);
    return 2;
  } finally {
    await store.close();
  }
}
