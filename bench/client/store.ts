/**
 * `npx tsx bench/client/store.ts [--messages 1000000] [--conversations 500] [--batch 500]`
 *
 * The desktop app's local store (src/client/store) at the size of a heavy user: 500
 * conversations and a million messages with realistic text, written through applyMessages
 * in batches. Prints the insert rate (full-text index included) for interleaved batches
 * (the hard case) and for catch-up shaped ones, the cost of one live message, history page
 * and around() latency, listConversations and unreadTotal, search latency with hit counts,
 * file size and RSS. Asserts nothing. Works in a temp dir that is removed at the end, on
 * failure and on Ctrl+C (checked between batches).
 *
 * `runStoreBench()` returns the same numbers for bench/client/run.ts.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { toMatchExpression } from '../../src/client/store/search';
import { SqliteLocalStore } from '../../src/client/store/sqlite-local-store';
import { catchUpBatch, conversations, nextBatch, seeded, vocabulary, zipfPicker } from './store-data';
import { percentile } from '../stats';

export interface StoreBenchOptions {
  messages?: number;
  conversations?: number;
  batch?: number;
  /** Timed samples for page and around() (default 1000). */
  samples?: number;
  /** Progress lines; silent by default. */
  log?: (line: string) => void;
  /** Stops the run between batches (the temp dir is removed either way). */
  signal?: AbortSignal;
}

export interface StoreBenchResult {
  messages: number;
  conversations: number;
  batch: number;
  insertSeconds: number;
  /** Wall clock, interleaved batches (see store-data.ts nextBatch). */
  insertPerSecond: number;
  /** Further batches shaped like catch-up (runs per conversation), into the full store. */
  catchUpPerSecond: number;
  /** One live message per transaction, into the full store. */
  liveApplyP50Ms: number;
  liveApplyP99Ms: number;
  pageP50Ms: number;
  pageP99Ms: number;
  aroundP50Ms: number;
  aroundP99Ms: number;
  listConversationsMs: number;
  unreadTotalMs: number;
  searches: Array<{ query: string; ms: number; hits: number; matching: number }>;
  searchP50Ms: number;
  /** Database and WAL after the bulk insert and the reads. */
  fileBytes: number;
  rssBytes: number;
}

const ME = 'me';
const PAGE = 50;
const QUERIES = ['the', 'meeting tomorrow', 'deploy', 'cafe', 'hel', 'review the build', 'kalomi', 'zinwex'];

export async function runStoreBench(o: StoreBenchOptions = {}): Promise<StoreBenchResult> {
  const total = o.messages ?? 1_000_000;
  const convCount = o.conversations ?? 500;
  const batchSize = o.batch ?? 500;
  const samples = o.samples ?? 1000;
  const log = o.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'courier-client-store-bench-'));
  const file = join(dir, 'store.db');
  const store = new SqliteLocalStore(file);
  try {
    const random = seeded(42);
    const pick = zipfPicker(vocabulary(random), random);
    const clock = { ts: Date.UTC(2024, 0, 1) };
    const all = conversations(convCount, ME, clock.ts, random);
    store.upsertConversations(all.map((c) => c.conversation), ME);

    // Insert: only the store calls are timed, not the data generation.
    let insertMs = 0;
    for (let done = 0; done < total; done += batchSize) {
      const batch = nextBatch(all, Math.min(batchSize, total - done), clock, pick, random);
      insertMs += timed(() => store.applyMessages(batch, ME));
      if ((done / batchSize) % 200 === 0) {
        log(`  inserted ${done.toLocaleString('en-US')} messages`);
        await new Promise((resolve) => setImmediate(resolve)); // let a Ctrl+C in
        o.signal?.throwIfAborted();
      }
    }
    const used = all.filter((c) => c.nextSeq > 1);

    const pageTimes: number[] = [];
    const aroundTimes: number[] = [];
    for (let i = 0; i < samples; i++) {
      const c = used[Math.floor(random() * used.length)]!;
      const last = c.nextSeq - 1;
      const beforeSeq = 1 + Math.ceil(random() * last);
      pageTimes.push(timed(() => store.page(c.conversation.id, { beforeSeq, limit: PAGE })));
      aroundTimes.push(timed(() => store.around(c.conversation.id, Math.ceil(random() * last), PAGE)));
    }

    const listTimes: number[] = [];
    const unreadTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      listTimes.push(timed(() => store.listConversations()));
      unreadTimes.push(timed(() => store.unreadTotal()));
    }

    const count = store.db.prepare<[string], number>('SELECT COUNT(*) FROM messages_fts WHERE messages_fts MATCH ?').pluck();
    const searches = QUERIES.map((query) => {
      store.search(query, PAGE); // warm: the first query of a word reads its index pages
      const times = Array.from({ length: 5 }, () => timed(() => store.search(query, PAGE)));
      return { query, ms: median(times), hits: store.search(query, PAGE).length, matching: count.get(toMatchExpression(query)!)! };
    });
    const fileBytes = sizeOf(file) + sizeOf(`${file}-wal`);
    log('  reads done; now catch-up batches and live messages into the full store');

    const extra = Math.max(batchSize, Math.floor(total / 10));
    let catchUpMs = 0;
    for (let done = 0; done < extra; done += batchSize) {
      const batch = catchUpBatch(all, Math.min(batchSize, extra - done), clock, pick, random);
      catchUpMs += timed(() => store.applyMessages(batch, ME));
    }
    const liveTimes: number[] = [];
    for (let i = 0; i < samples; i++) {
      const batch = nextBatch(all, 1, clock, pick, random);
      liveTimes.push(timed(() => store.applyMessages(batch, ME)));
    }

    return {
      messages: total,
      conversations: convCount,
      batch: batchSize,
      insertSeconds: insertMs / 1000,
      insertPerSecond: total / (insertMs / 1000),
      catchUpPerSecond: extra / (catchUpMs / 1000),
      liveApplyP50Ms: percentile(liveTimes, 50),
      liveApplyP99Ms: percentile(liveTimes, 99),
      pageP50Ms: percentile(pageTimes, 50),
      pageP99Ms: percentile(pageTimes, 99),
      aroundP50Ms: percentile(aroundTimes, 50),
      aroundP99Ms: percentile(aroundTimes, 99),
      listConversationsMs: median(listTimes),
      unreadTotalMs: median(unreadTimes),
      searches,
      searchP50Ms: median(searches.map((s) => s.ms)),
      fileBytes,
      rssBytes: process.memoryUsage().rss,
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function timed(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function median(values: readonly number[]): number {
  return percentile(values, 50);
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function formatStoreBench(r: StoreBenchResult): string {
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')} msg/s`;
  const rows: Array<[string, string]> = [
    ['messages / conversations / batch', `${r.messages.toLocaleString('en-US')} / ${r.conversations} / ${r.batch}`],
    ['insert, interleaved batches (incl. FTS)', `${rate(r.insertPerSecond)} (${r.insertSeconds.toFixed(1)} s)`],
    ['insert, catch-up shaped batches', rate(r.catchUpPerSecond)],
    ['one live message per transaction p50 / p99', `${ms(r.liveApplyP50Ms)} / ${ms(r.liveApplyP99Ms)}`],
    [`history page of ${PAGE} p50 / p99`, `${ms(r.pageP50Ms)} / ${ms(r.pageP99Ms)}`],
    [`around() of ${PAGE} p50 / p99`, `${ms(r.aroundP50Ms)} / ${ms(r.aroundP99Ms)}`],
    [`listConversations (${r.conversations})`, ms(r.listConversationsMs)],
    [`unreadTotal (${r.conversations})`, ms(r.unreadTotalMs)],
    ...r.searches.map((s): [string, string] => [`search "${s.query}"`, `${ms(s.ms)}, ${s.hits} hits (limit ${PAGE}) of ${s.matching.toLocaleString('en-US')}`]),
    ['search p50 over the queries', ms(r.searchP50Ms)],
    ['file size (db + wal)', mib(r.fileBytes)],
    ['RSS', mib(r.rssBytes)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v}`).join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { messages: { type: 'string' }, conversations: { type: 'string' }, batch: { type: 'string' } },
    strict: true,
  });
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  runStoreBench({
    messages: num('messages', values.messages),
    conversations: num('conversations', values.conversations),
    batch: num('batch', values.batch),
    log: (line) => process.stdout.write(`${line}\n`),
    signal: abort.signal,
  })
    .then((result) => process.stdout.write(`\n${formatStoreBench(result)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = abort.signal.aborted ? 130 : 1;
    });
}
