import { open, type FileHandle } from 'node:fs/promises';

/**
 * ------------------------------------------------------------------------------------
 * Durability without making the event loop wait for the disk.
 *
 * better-sqlite3 is synchronous, and with synchronous=FULL every COMMIT ended in an fsync
 * of the WAL on the event loop: at 6-10k msg/s the loop spent ~4 ms per commit waiting
 * (docs/benchmarks.md). Now the connection commits with synchronous=NORMAL, which in WAL
 * mode writes the commit's frames to the WAL without syncing them, and the caller is
 * answered only after this fdatasync of the WAL file — run on libuv's thread pool, so the
 * loop goes on meanwhile. Once it returns, everything written to the WAL before it began
 * is on disk: the same state synchronous=FULL reaches, for every commit it covers.
 * (Checkpoints, about one per 1,000 WAL pages, still run inside a commit with their own
 * syncs; a checkpoint thread was tried and measured worse here: docs/benchmarks.md.)
 *
 * Many commits share one fdatasync (group commit at the disk): a commit that arrives
 * while a sync is running waits for the next one, which starts as soon as the running one
 * ends and covers everything committed by then. So a caller waits at most two syncs.
 *
 * The WAL file is never replaced while the server's connection is open (SQLite deletes it
 * only when the last connection closes; checkpoints rewind or truncate it in place), so
 * one read-only handle serves for the database's whole life here.
 * ------------------------------------------------------------------------------------
 */
export class WalSync {
  private handle: Promise<FileHandle> | null = null;
  private running: Promise<void> | null = null;
  private waiting: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | null = null;
  private closed = false;
  /** Syncs performed, for metrics and tests. */
  syncs = 0;

  constructor(private readonly walFile: string) {}

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    if (!this.running) {
      this.running = this.runOnce();
      return this.running;
    }
    // The running sync may have begun before this caller's commit: it needs the next one.
    if (!this.waiting) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.waiting = { promise, resolve, reject };
    }
    return this.waiting.promise;
  }

  /** Waits for syncs under way, then releases the file. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running) await this.running.catch(() => {});
    const handle = this.handle;
    this.handle = null;
    if (handle) await (await handle).close();
  }

  private async runOnce(): Promise<void> {
    try {
      this.handle ??= open(this.walFile, 'r');
      const handle = await this.handle.catch((error: unknown) => {
        this.handle = null; // the next sync tries to open it again
        throw error;
      });
      await handle.datasync();
      this.syncs++;
    } finally {
      this.running = null;
      const next = this.waiting;
      this.waiting = null;
      if (next) {
        this.running = this.runOnce();
        this.running.then(next.resolve, next.reject);
      }
    }
  }
}
