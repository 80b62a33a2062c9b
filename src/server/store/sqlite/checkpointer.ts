import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the WAL is folded back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 250;

/**
 * ------------------------------------------------------------------------------------
 * Checkpoints off the event loop.
 *
 * A checkpoint copies the WAL's pages into the database file and syncs both; SQLite runs
 * one automatically inside whichever COMMIT crosses 1,000 WAL pages — on the event loop,
 * with two fsyncs. The server's connection turns that off (wal_autocheckpoint = 0) and
 * this thread, with its own connection, runs a PASSIVE checkpoint every 250 ms instead:
 * PASSIVE never blocks the writer nor waits for readers, it copies what it can. Once the
 * WAL is wholly copied, the writer's next commit starts it from the beginning again, and
 * journal_size_limit truncates it back to 64 MiB if it grew past that, so it stays small.
 *
 * The thread needs nothing of the server's code, only better-sqlite3, so it is a few
 * lines of plain JavaScript (no TypeScript loader to start in a worker).
 * ------------------------------------------------------------------------------------
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL'); // a checkpoint syncs the WAL before and the database file after
db.pragma('journal_size_limit = ${64 * 1024 * 1024}');
let timer = setInterval(checkpoint, workerData.intervalMs);
function checkpoint() {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpoint', log: r.log, checkpointed: r.checkpointed, busy: r.busy });
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String(e && e.message || e) });
  }
}
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ type: 'stopped' });
  parentPort.close();
});
`;

export interface CheckpointReport {
  /** WAL frames in the log, and how many of them are in the database file now. */
  log: number;
  checkpointed: number;
}

export class Checkpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | null = null;
  /** The latest report (for metrics and tests). */
  last: CheckpointReport | null = null;

  constructor(
    file: string,
    private readonly onError: (message: string) => void = () => {},
    intervalMs = CHECKPOINT_INTERVAL_MS,
  ) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(SOURCE, { eval: true, workerData: { driver, file, intervalMs }, execArgv: [] });
    this.worker.unref();
    this.worker.on('message', (m: { type: string; log?: number; checkpointed?: number; message?: string }) => {
      if (m.type === 'checkpoint') this.last = { log: m.log ?? 0, checkpointed: m.checkpointed ?? 0 };
      else if (m.type === 'error') this.onError(m.message ?? 'checkpoint failed');
    });
    this.worker.on('error', (e) => this.onError(e.message));
  }

  /** Stops the thread and closes its connection (the owner then checkpoints a last time itself). */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      // Unreferenced while it works (it must not keep a finished process alive), referenced
      // while it stops: otherwise the process may end before the thread has closed its connection.
      this.worker.ref();
      this.worker.once('exit', () => resolve());
      this.worker.postMessage('stop');
    });
    return this.stopped;
  }
}
