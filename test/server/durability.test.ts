import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CourierHttp, CourierSocket } from '../../src/client';
import { killAllChildServers, startChildServer, type ChildServer } from '../helpers/child-server';
import { SendLoad, fetchAll, readDatabase, type Acked, type Sent, type Stream } from '../helpers/send-load';
import { waitUntil } from '../helpers/wait';

/**
 * "An acked message survives kill -9": the real server runs as a child process under
 * continuous load and is SIGKILLed at random moments. After every restart each acked
 * message is there exactly once with the seq its ack named, every conversation's seqs
 * are 1..last with no gap, and resending what was in flight (same client ids) stores
 * each message at most once. The file is also read directly, with no server running.
 *
 * SIGKILL leaves the OS page cache intact, so this proves ordering (no ack before the
 * commit returned) and crash recovery, not fsync: that needs a power cut.
 */
const KILL_CYCLES = 4;
const SENDS_IN_FLIGHT_PER_STREAM = 4;
/** Load runs this long (ms, uniformly random) before each SIGKILL. */
const LOAD_MS: [number, number] = [250, 1200];
const FLAGS = ['--rate-messages', '100000', '--rate-frames', '100000'];

const seed = Number(process.env['COURIER_TEST_SEED'] ?? Date.now() % 1_000_000);
const random = mulberry32(seed);
const dataDir = mkdtempSync(join(tmpdir(), 'courier-durability-'));

afterAll(async () => {
  await killAllChildServers();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Account {
  userId: string;
  accessToken: string;
}

describe('durability across SIGKILL', () => {
  it(`every acked message survives ${KILL_CYCLES + 1} kills, exactly once, in gapless seqs; resends are idempotent`, { timeout: 45_000 }, async ({ onTestFailed }) => {
    onTestFailed(() => console.error(`durability: COURIER_TEST_SEED=${seed} replays this run's kill moments`));
    const started = Date.now();
    let server = await startChildServer({ dataDir, args: FLAGS });
    const http = new CourierHttp(server.url);
    const accounts: Account[] = [];
    for (let i = 0; i < 4; i++) {
      const auth = await http.register({ username: `durable${i}`, password: 'correct horse battery', deviceName: 'load' });
      accounts.push({ userId: auth.user.id, accessToken: auth.tokens.accessToken });
    }
    // A ring of direct chats: 4 users, 4 conversations, each user in 2 of them.
    let sockets = await connectAll(server, accounts);
    const conversations: Array<{ id: string; members: [number, number] }> = [];
    for (let i = 0; i < 4; i++) {
      const other = (i + 1) % 4;
      const { conversation } = await sockets[i]!.request('conversation.openDirect', { userId: accounts[other]!.userId });
      conversations.push({ id: conversation.id, members: [i, other] });
    }
    const streamsOf = (socks: CourierSocket[]): Stream[] =>
      conversations.flatMap((c) => c.members.map((m) => ({ socket: socks[m]!, conversationId: c.id })));

    const load = new SendLoad();
    const kills: Array<{ afterMs: number; acked: number; inFlight: number }> = [];
    let committedButUnacked = 0;

    for (let cycle = 0; cycle < KILL_CYCLES; cycle++) {
      const ackedBefore = load.acked.size;
      load.start(streamsOf(sockets), SENDS_IN_FLIGHT_PER_STREAM);
      const afterMs = Math.round(LOAD_MS[0] + random() * (LOAD_MS[1] - LOAD_MS[0]));
      await loadUntilKill(load, afterMs, ackedBefore);
      server.kill('SIGKILL');
      expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
      await load.stop();
      kills.push({ afterMs, acked: load.acked.size - ackedBefore, inFlight: load.unacked.size });
      expect(load.acked.size, `cycle ${cycle}: the load acked nothing before the kill`).toBeGreaterThan(ackedBefore);

      server = await startChildServer({ dataDir, args: FLAGS });
      sockets = await connectAll(server, accounts);
      committedButUnacked += await verifyAndResend(sockets, conversations, load);
    }

    // The last kill, and a look at the file while nothing runs: crash state, WAL and all.
    const ackedBeforeLast = load.acked.size;
    load.start(streamsOf(sockets), SENDS_IN_FLIGHT_PER_STREAM);
    const lastAfterMs = Math.round(LOAD_MS[0] + random() * (LOAD_MS[1] - LOAD_MS[0]));
    await loadUntilKill(load, lastAfterMs, ackedBeforeLast);
    server.kill('SIGKILL');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await load.stop();
    kills.push({ afterMs: lastAfterMs, acked: load.acked.size - ackedBeforeLast, inFlight: load.unacked.size });
    const inFlightAtLastKill = [...load.unacked.values()];
    verifyDatabase(dataDir, conversations, load.acked, inFlightAtLastKill);

    // Restart, resend what was in flight, and check both readers once more.
    server = await startChildServer({ dataDir, args: FLAGS });
    sockets = await connectAll(server, accounts);
    committedButUnacked += await verifyAndResend(sockets, conversations, load);
    server.kill('SIGKILL');
    await server.exited;
    verifyDatabase(dataDir, conversations, load.acked, []);

    expect(load.errors).toEqual([]);
    expect(load.unacked.size).toBe(0);
    console.info(
      `durability (seed ${seed}): ${kills.length} SIGKILLs (${kills.map((k) => `${k.acked}@${k.afterMs}ms/${k.inFlight} in flight`).join(', ')}), ` +
        `${load.acked.size} acked messages verified, ${committedButUnacked} in-flight ones turned out stored, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});

async function connectAll(server: ChildServer, accounts: Account[]): Promise<CourierSocket[]> {
  return Promise.all(accounts.map((a) => CourierSocket.connect({ serverUrl: server.url, accessToken: a.accessToken })));
}

/**
 * Checks history against the acks, then resends everything in flight at the kill with the
 * same client ids (each must be stored once: the old copy if the commit beat the kill, a
 * new one if not), plus a few acked ones (each must return its original seq).
 * Returns how many in-flight messages had been stored before the kill.
 */
async function verifyAndResend(
  sockets: CourierSocket[],
  conversations: Array<{ id: string; members: [number, number] }>,
  load: SendLoad,
): Promise<number> {
  const socketOf = new Map(sockets.map((s) => [s.userId, s]));
  const history = async () => {
    const byConversation = new Map<string, Array<{ seq: number; clientId: string | null; body: string | null }>>();
    for (const c of conversations) {
      const messages = await fetchAll(sockets[c.members[0]]!, c.id);
      byConversation.set(c.id, messages.map((m) => ({ seq: m.seq, clientId: m.clientId, body: m.kind === 'text' ? m.body : null })));
    }
    return byConversation;
  };

  const before = await history();
  expect(problems(before, load.acked, null)).toEqual([]);
  const stored = new Set([...before.values()].flat().map((m) => m.clientId));
  const inFlight = [...load.unacked.values()];
  const alreadyThere = inFlight.filter((s) => stored.has(s.clientId)).length;

  const someAcked = [...load.acked.values()].filter((_, i) => i % 97 === 0);
  const resent = await Promise.all([...inFlight, ...someAcked].map((s) => load.send(socketOf.get(s.senderId)!, toSent(s))));
  expect(resent.filter((a) => a === null)).toEqual([]); // errors are in load.errors
  for (const a of someAcked) expect(load.acked.get(a.clientId)?.seq).toBe(a.seq);

  const after = await history();
  expect(problems(after, load.acked, null)).toEqual([]);
  const count = (h: typeof after) => [...h.values()].reduce((n, ms) => n + ms.length, 0);
  expect(count(after) - count(before)).toBe(inFlight.length - alreadyThere);
  return alreadyThere;
}

function verifyDatabase(
  dir: string,
  conversations: Array<{ id: string }>,
  acked: ReadonlyMap<string, Acked>,
  inFlight: readonly Sent[],
): void {
  const state = readDatabase(dir);
  expect(state.integrity).toBe('ok');
  const byConversation = new Map(conversations.map((c) => [c.id, state.messages.filter((m) => m.conversationId === c.id)]));
  expect(state.messages.filter((m) => !byConversation.has(m.conversationId))).toEqual([]);
  expect(problems(byConversation, acked, state.lastSeq)).toEqual([]);
  // What was in flight is either stored with its own body or absent; never twice.
  const byClientId = new Map(state.messages.map((m) => [m.clientId, m]));
  for (const s of inFlight) {
    const m = byClientId.get(s.clientId);
    if (m) expect({ conversationId: m.conversationId, senderId: m.senderId, body: m.body }).toEqual({ conversationId: s.conversationId, senderId: s.senderId, body: s.body });
  }
}

/**
 * Everything wrong with a stored timeline, as readable strings: seqs not exactly 1..last,
 * a client id stored twice, an acked message missing or stored under another seq or body.
 */
function problems(
  timelines: ReadonlyMap<string, ReadonlyArray<{ seq: number; clientId: string | null; body: string | null }>>,
  acked: ReadonlyMap<string, Acked>,
  lastSeq: ReadonlyMap<string, number> | null,
): string[] {
  const found: string[] = [];
  const where = new Map<string, { conversationId: string; seq: number; body: string | null }>();
  for (const [conversationId, messages] of timelines) {
    messages.forEach((m, i) => {
      if (m.seq !== i + 1) found.push(`${conversationId}: position ${i + 1} holds seq ${m.seq}`);
      if (m.clientId === null) return;
      if (where.has(m.clientId)) found.push(`${m.clientId} stored twice`);
      where.set(m.clientId, { conversationId, seq: m.seq, body: m.body });
    });
    const last = lastSeq?.get(conversationId);
    if (last !== undefined && last !== messages.length) found.push(`${conversationId}: last_seq ${last} but ${messages.length} entries`);
  }
  for (const a of acked.values()) {
    const m = where.get(a.clientId);
    if (!m) found.push(`acked ${a.clientId} (seq ${a.seq}) is missing`);
    else if (m.conversationId !== a.conversationId || m.seq !== a.seq || m.body !== a.body) {
      found.push(`acked ${a.clientId} as seq ${a.seq} in ${a.conversationId}, stored as seq ${m.seq} in ${m.conversationId}`);
    }
    if (found.length > 20) break;
  }
  return found.slice(0, 20);
}

function toSent(s: Sent): Sent {
  return { clientId: s.clientId, conversationId: s.conversationId, senderId: s.senderId, body: s.body };
}

/**
 * Lets the load run until the kill: for the cycle's random span (the seeded kill moment,
 * deliberately a duration and not an event) and at least until this cycle got an ack, so
 * a loaded machine that is slow to get going still kills a server that is under load.
 */
async function loadUntilKill(load: SendLoad, ms: number, ackedBefore: number): Promise<void> {
  await Promise.all([
    new Promise((r) => setTimeout(r, ms)),
    waitUntil(() => load.acked.size > ackedBefore, { timeoutMs: 15_000, message: 'the load to get an ack before the kill' }),
  ]);
}

/** A small seeded PRNG, so a failing run's kill moments can be replayed. */
function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
