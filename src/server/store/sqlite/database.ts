import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the server database: WAL so readers never block the writer;
 * synchronous=NORMAL, because the store makes each commit durable itself with an fdatasync
 * of the WAL off the event loop before it answers (wal-sync.ts); the WAL kept at 64 MiB
 * after a checkpoint; then brings the schema up to date.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    privateFolder(dirname(file));
    privateFile(file);
  }
  const db = immediateTransactions(new Database(file));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536'); // 64 MiB
  db.pragma('temp_store = MEMORY');
  migrate(db);
  // Already 0600 if SQLite made them just now (see privateFile); left by an older version, maybe not.
  for (const companion of [`${file}-wal`, `${file}-shm`]) if (existsSync(companion)) chmodSync(companion, 0o600);
  return db;
}

/**
 * Every transaction begins IMMEDIATE (takes the write lock at BEGIN). Two connections write
 * this file — the event loop's and the message writer's thread — and a DEFERRED
 * transaction that read first and then wrote would fail with SQLITE_BUSY_SNAPSHOT if the
 * other one committed in between; taking the lock first makes it wait (busy_timeout)
 * instead. Every transaction here writes, or must see a state no other writer changes.
 */
export function immediateTransactions(db: Db): Db {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    const t = transaction(fn);
    return Object.assign((...args: never[]) => t.immediate(...args), t);
  }) as Db['transaction'];
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `database schema version ${current} is newer than this server (${MIGRATIONS.length}); upgrade the server`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/**
 * ------------------------------------------------------------------------------------
 * The database and everything SQLite writes beside it are the owner's only (0600, in a
 * 0700 folder), whatever the umask.
 *
 * SQLite creates a new database file 0644 minus the umask (world-readable under the
 * usual 022). So the file is created here first, empty, and chmod-ed to 0600 (chmod is
 * umask-independent); SQLite takes an empty file as a new database. SQLite then creates
 * -wal, -shm (and any -journal) lazily, with exactly the database file's mode, umask or
 * not (os_unix.c: findCreateFileMode, robust_open's fchmod). That covers files made
 * later, after any write or checkpoint, without a umask change: process.umask is
 * process-wide and would race with everything else the process creates.
 *
 * privateFile creates `file` if need be (empty) and makes it 0600; it also serves the
 * admin CLI's backups, which hold everything the database does.
 * ------------------------------------------------------------------------------------
 */
export function privateFile(file: string): void {
  const fd = openSync(file, 'a', 0o600);
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates the folder 0700, or tightens an existing one of ours to 0700. A folder of
 * someone else's, or a shared one (sticky bit, like /tmp), is left as it is: the files
 * in it are private anyway.
 */
function privateFolder(dir: string): void {
  if (mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) return chmodSync(dir, 0o700);
  const stat = statSync(dir);
  const ours = process.getuid === undefined || stat.uid === process.getuid();
  if ((stat.mode & 0o077) !== 0 && ours && (stat.mode & 0o1000) === 0) chmodSync(dir, 0o700);
}
