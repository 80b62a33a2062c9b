import Database from 'better-sqlite3';
import { fdatasync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { AppendRequest, ReceiptRequest } from '../store';
import { immediateTransactions } from './database';
import { SqliteMessages } from './messages';

/**
 * The message writer's thread (message-writer.ts): its own connection to the database,
 * SqliteMessages' two group commits, and an fdatasync of the WAL (after the write lock
 * is released) before each answer. Nothing else.
 */
const { file } = workerData as { file: string };
const db = immediateTransactions(new Database(file));
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = OFF'); // durability is the fdatasync below, after the lock is released
db.pragma('wal_autocheckpoint = 0'); // the checkpointer thread runs them
db.pragma('foreign_keys = ON');
db.pragma('cache_size = -65536');
const messages = new SqliteMessages(db);
let wal: number | null = null;

/**
 * Answers wait for an fdatasync that began after their commit. While one runs (on the
 * thread pool), the next batches commit and queue for the next one: a batch's SQL overlaps
 * the previous batch's disk wait, and one sync covers every commit made meanwhile.
 */
let syncing = false;
let waiting: Array<{ id: number; value: unknown }> = [];

function syncThenAnswer(): void {
  if (syncing || waiting.length === 0) return;
  syncing = true;
  const answering = waiting;
  waiting = [];
  wal ??= openSync(`${file}-wal`, 'r');
  fdatasync(wal, (error) => {
    syncing = false;
    for (const a of answering) {
      parentPort!.postMessage(error ? { id: a.id, ok: false, message: `fdatasync: ${error.message}` } : { id: a.id, ok: true, value: a.value });
    }
    syncThenAnswer();
  });
}

type Job = { id: number; kind: 'append'; batch: AppendRequest[] } | { id: number; kind: 'receipts'; batch: ReceiptRequest[] } | { kind: 'stop' };

parentPort!.on('message', (job: Job) => {
  if (job.kind === 'stop') {
    const stop = () => (syncing || waiting.length > 0 ? setTimeout(stop, 1) : (db.close(), parentPort!.close()));
    stop();
    return;
  }
  try {
    const value = job.kind === 'append' ? messages.appendMessages(job.batch) : messages.markReceipts(job.batch);
    waiting.push({ id: job.id, value });
    syncThenAnswer();
  } catch (error) {
    parentPort!.postMessage({ id: job.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
parentPort!.postMessage({ type: 'ready' });
