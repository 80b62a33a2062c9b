/**
 * `npx tsx bench/server/store-commit.ts [--quick]`: the cost of Courier's message group
 * commit in isolation, in-process, with no sockets: SqliteStore.appendMessages (the function
 * the server's GroupCommitter calls) over 500 direct conversations, as in the server
 * benchmark, for several batch sizes and SQLite settings.
 *
 * It explains the server benchmark's ceiling: every commit runs synchronously on the event
 * loop, so the time printed here is time during which no socket is read or written.
 * Prints a table; asserts nothing. Works on a temp copy that is removed at exit.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../../src/server/ids';
import type { AppendRequest } from '../../src/server/store/store';
import { SqliteStore } from '../../src/server/store/sqlite/sqlite-store';
import { uuidv7 } from '../../src/shared/uuid-v7';

const QUICK = process.argv.includes('--quick');
const PAIRS = 500;
const PREFILL = QUICK ? 50_000 : 400_000;
const PER_CASE = QUICK ? 10_000 : 40_000;
const BODY = '0.123 hello from the benchmark, a short chat message of typical size';

const dir = mkdtempSync(join(tmpdir(), 'courier-store-bench-'));
const cleanup = () => rmSync(dir, { recursive: true, force: true });
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

interface Pair {
  conversationId: string;
  a: string;
  b: string;
}

async function seed(file: string): Promise<Pair[]> {
  const store = new SqliteStore(file);
  const now = Date.now();
  const pairs: Pair[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const ids = [newId('u'), newId('u')] as const;
    for (const [k, id] of ids.entries()) await store.createUser({ id, username: `s${i}-${k}`, displayName: null, passwordHash: 'x', now });
    const change = await store.openDirect(ids[0], ids[1], now);
    if (typeof change === 'string') throw new Error(change);
    pairs.push({ conversationId: change.conversationId, a: ids[0], b: ids[1] });
  }
  // History, so the (conversation, seq) index has a realistic size (the server benchmark
  // writes ~800k messages over its ladder).
  store.db.pragma('synchronous = OFF');
  for (let done = 0; done < PREFILL; done += 1000) await store.appendMessages(requests(pairs, done, 1000));
  await store.close();
  return pairs;
}

function requests(pairs: Pair[], from: number, count: number): AppendRequest[] {
  const out: AppendRequest[] = [];
  for (let n = from; n < from + count; n++) {
    const pair = pairs[n % pairs.length]!;
    out.push({ senderId: (n / pairs.length) & 1 ? pair.b : pair.a, conversationId: pair.conversationId, clientId: uuidv7(), body: BODY, now: Date.now() });
  }
  return out;
}

interface Case {
  name: string;
  batch: number;
  pragmas: string[];
  /** Run every batch of the case inside one outer transaction: statement cost without commits. */
  noCommit?: boolean;
  /** Rebuild the copy with this page size first (the shipped database uses SQLite's 4096). */
  pageSize?: number;
}

/** page_size can only change outside WAL mode, through VACUUM. */
function setPageSize(file: string, size: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.pragma(`page_size = ${size}`);
  db.exec('VACUUM');
  db.pragma('journal_mode = WAL');
  db.close();
}

async function run(seedFile: string, pairs: Pair[], c: Case): Promise<string[]> {
  const file = join(dir, `case-${c.name.replace(/\W+/g, '-')}-${c.batch}.db`);
  copyFileSync(seedFile, file);
  if (c.pageSize) setPageSize(file, c.pageSize);
  const store = new SqliteStore(file);
  for (const p of c.pragmas) store.db.pragma(p);
  const batches: AppendRequest[][] = [];
  for (let done = 0; done < PER_CASE; done += c.batch) batches.push(requests(pairs, PREFILL + done, Math.min(c.batch, PER_CASE - done)));
  const worst: number[] = [];
  const started = performance.now();
  const body = () => {
    for (const batch of batches) {
      const t = performance.now();
      void store.appendMessages(batch); // synchronous underneath: the work is done when this returns
      worst.push(performance.now() - t);
    }
  };
  if (c.noCommit) store.db.transaction(body)();
  else body();
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  rmSync(file, { force: true });
  worst.sort((x, y) => x - y);
  const perCommitMs = (seconds * 1000) / batches.length;
  return [
    c.name,
    String(c.batch),
    Math.round(PER_CASE / seconds).toLocaleString('en-US'),
    ((seconds * 1e6) / PER_CASE).toFixed(1),
    c.noCommit ? '–' : perCommitMs.toFixed(2),
    c.noCommit ? '–' : (worst[Math.floor(worst.length * 0.99)] ?? 0).toFixed(2),
    c.noCommit ? '–' : (worst[worst.length - 1] ?? 0).toFixed(1),
  ];
}

async function main(): Promise<void> {
  const seedFile = join(dir, 'seed.db');
  const t = performance.now();
  const pairs = await seed(seedFile);
  process.stdout.write(`seeded ${PAIRS} conversations and ${PREFILL} messages in ${((performance.now() - t) / 1000).toFixed(1)} s; ${PER_CASE} messages per case\n\n`);
  const server = ['synchronous = FULL'];
  const cases: Case[] = [
    ...[1, 10, 60, 250, 1000].map((batch) => ({ name: 'as shipped (WAL, synchronous=FULL)', batch, pragmas: server })),
    { name: 'statements only (one outer transaction)', batch: 60, pragmas: server, noCommit: true },
    ...[10, 60, 250].map((batch) => ({ name: 'synchronous=NORMAL (no fsync per commit)', batch, pragmas: ['synchronous = NORMAL'] })),
    ...[60, 250].map((batch) => ({ name: 'FULL, no auto-checkpoint', batch, pragmas: [...server, 'wal_autocheckpoint = 0'] })),
    ...[10, 60, 250].map((batch) => ({ name: 'FULL, page_size 1024', batch, pragmas: server, pageSize: 1024 })),
  ];
  const rows = [['case', 'batch', 'msgs/s', 'µs/msg', 'ms/commit', 'p99 ms/commit', 'max ms'], ...(await sequential(cases.map((c) => () => run(seedFile, pairs, c))))];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`${line(rows[0]!)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |\n${rows.slice(1).map(line).join('\n')}\n`);
}

async function sequential<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = [];
  for (const task of tasks) out.push(await task());
  return out;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
