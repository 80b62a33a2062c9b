import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AppendRequest, AppendResult, ReceiptChange, ReceiptRequest } from '../store';

/**
 * ------------------------------------------------------------------------------------
 * The message path on its own thread.
 *
 * Message sends and receipt marks are most of what the server writes, and the SQL of one
 * message (five B-tree operations, its share of a commit) is about half of the event
 * loop's work per message (docs/benchmarks.md). This thread, with its own connection to
 * the same file, runs those two group commits: appendMessages and markReceipts of
 * SqliteMessages, unchanged, each batch in one IMMEDIATE transaction, then an fdatasync
 * of the WAL before it answers — so the loop only hands batches over and fans the results
 * out, and an answer still means durable. Every other write stays on the loop's
 * connection; SQLite's write lock orders the two, and since the thread syncs after it
 * has released the lock, a write on the loop never waits for this thread's disk.
 *
 * Batches are answered in order, one at a time (the GroupCommitter sends one at a time).
 * ------------------------------------------------------------------------------------
 */
type Job = { id: number; kind: 'append'; batch: readonly AppendRequest[] } | { id: number; kind: 'receipts'; batch: readonly ReceiptRequest[] };
type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

export class MessageWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private readonly ready: Promise<void>;
  private stopped: Promise<void> | null = null;
  private failure: Error | null = null;

  constructor(file: string) {
    this.worker = startWorker(file);
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', (m: { type?: string; message?: string }) => (m.type === 'ready' ? resolve() : reject(new Error(m.message ?? 'writer failed'))));
    });
    this.ready.catch(() => {}); // reported to the first caller
    this.worker.on('message', (m: Answer | { type: string }) => {
      if (!('id' in m)) return;
      const waiter = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) waiter?.resolve(m.value);
      else waiter?.reject(new Error(`message writer: ${m.message}`));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`message writer stopped (exit ${code})`)));
    this.worker.unref();
  }

  /** Resolves once the thread has its connection open. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  appendMessages(batch: readonly AppendRequest[]): Promise<AppendResult[]> {
    return this.call({ id: this.nextId++, kind: 'append', batch }) as Promise<AppendResult[]>;
  }

  markReceipts(batch: readonly ReceiptRequest[]): Promise<Array<ReceiptChange | null>> {
    return this.call({ id: this.nextId++, kind: 'receipts', batch }) as Promise<Array<ReceiptChange | null>>;
  }

  /** Waits for the batches under way, then closes the thread's connection. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      // Let the batches under way finish, their callers answered as usual.
      await Promise.all(
        [...this.pending.entries()].map(
          ([id, w]) =>
            new Promise<void>((done) =>
              this.pending.set(id, {
                resolve: (v) => (w.resolve(v), done()),
                reject: (e) => (w.reject(e), done()),
              }),
            ),
        ),
      );
      if (this.failure) return;
      this.worker.ref(); // the process must not end before the thread has closed its connection
      const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      this.worker.postMessage({ kind: 'stop' });
      await exited;
    })();
    return this.stopped;
  }

  private async call(job: Job): Promise<unknown> {
    await this.ready;
    if (this.failure) throw this.failure;
    return new Promise((resolve, reject) => {
      this.pending.set(job.id, { resolve, reject });
      this.worker.postMessage(job);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/**
 * The thread runs TypeScript (the store's own code). Built, it is a plain module; in a
 * development checkout and in tests, it registers tsx's loader first, as `npm run server`
 * (node --import tsx) does for the main thread.
 */
function startWorker(file: string): Worker {
  const typescript = import.meta.url.endsWith('.ts');
  const entry = new URL(`./message-writer-thread.${typescript ? 'ts' : 'js'}`, import.meta.url);
  // Not the process's flags (--import of a loader or a guard, --cpu-prof): the thread loads what it needs itself.
  const options = { workerData: { file }, execArgv: [] };
  if (!typescript) return new Worker(entry, options);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs'));
  const bootstrap = `import { register } from ${JSON.stringify(tsx.href)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}
