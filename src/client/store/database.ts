import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) one account's local database and brings its schema up to date.
 *
 * Durability: WAL with synchronous=NORMAL. In WAL mode a commit has been written to the
 * WAL file (the OS page cache) when it returns, so it survives the app crashing or being
 * killed; only an OS crash or power loss can lose the last few commits (never corrupt the
 * file). That is the right trade for a client: everything here except the outbox is a
 * copy of what the server holds and comes back with the next sync, and NORMAL spares an
 * fsync per live message. synchronous cannot be set per table, so the one write whose loss
 * the server cannot repair, a message composed offline, runs with synchronous=FULL for
 * its own transaction (see `durably`).
 */
export function openDatabase(file: string, o: { nativeBinding?: string } = {}): Db {
  const db = new Database(file, o.nativeBinding ? { nativeBinding: o.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -16384'); // 16 MiB: the hot pages of a million-message store
    db.pragma('temp_store = MEMORY');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Applies the migrations this database has not seen, each in its own transaction. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `local database schema version ${current} is newer than this app knows (${MIGRATIONS.length}); update Courier or remove the file`,
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
 * Runs `fn` as one transaction committed with synchronous=FULL (fsync of the WAL), so it
 * survives power loss too. The setting cannot change inside a transaction, hence the wrapper.
 */
export function durably<T>(db: Db, fn: () => T): T {
  db.pragma('synchronous = FULL');
  try {
    return db.transaction(fn)();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}
