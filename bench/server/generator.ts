/**
 * A load generator for `npm run bench:server`, forked by run.ts (two of them, so sockets
 * and CPU are split). It speaks the Courier protocol with raw `ws` (or the bare relay's
 * "forward + echo"), opens idle connections, and runs timed send steps over 1:1 pairs.
 *
 * Both sockets of a pair live in this process, so the send time written into each message
 * and the time it is delivered to the peer are read from the same clock.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { PROTOCOL } from '../../src/shared/protocol';
import { uuidv7 } from '../../src/shared/uuid-v7';
import { sleep, type IdleReport, type Job, type PeerSpec, type Reply, type StepReport, type Target } from './shared';
import './orphan-guard';

/** A chat-sized body: the message id, then ~60 bytes of text. Send times stay in this process. */
const FILLER = 'hello from the benchmark, a short chat message of typical size';
const OPEN_TIMEOUT_MS = 20_000;

const send = (reply: Reply) => process.send!(reply);
process.on('disconnect', () => process.exit(0));

// ---------------------------------------------------------------------------------------
// Opening sockets

/**
 * Opens one socket and resolves once it can be used: for Courier after `ready` and the
 * answer to `sync` (live events flow only then), for the bare relay after the echo of a
 * hello frame (one frame each way, like Courier's setup).
 */
function open(target: Target, url: string, token: string, localAddress: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws =
      target === 'courier'
        ? new WebSocket(url, [PROTOCOL], {
            headers: { authorization: `Bearer ${token}` },
            perMessageDeflate: false,
            localAddress,
            skipUTF8Validation: true,
            handshakeTimeout: OPEN_TIMEOUT_MS,
          })
        : new WebSocket(url, { perMessageDeflate: false, localAddress, skipUTF8Validation: true, handshakeTimeout: OPEN_TIMEOUT_MS });
    const timer = setTimeout(() => fail(new Error('no ready/sync answer in time')), OPEN_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      ws.removeAllListeners('message');
      ws.terminate();
      reject(error);
    };
    ws.on('error', fail);
    ws.on('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode} on upgrade`)));
    ws.on('close', (code) => fail(new Error(`closed with ${code} while opening`)));
    ws.on('open', () => {
      if (target === 'bare') ws.send('{"type":"hello"}');
    });
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; id?: string; code?: string; message?: string };
      if (target === 'courier' && frame.type === 'ready') {
        ws.send('{"type":"sync","id":"sync","watermarks":[]}');
        return;
      }
      if (target === 'courier' && frame.type === 'error') return fail(new Error(`error frame ${frame.code}: ${frame.message}`));
      if ((target === 'courier' && frame.type === 'result' && frame.id === 'sync') || (target === 'bare' && frame.type === 'hello')) {
        clearTimeout(timer);
        ws.removeAllListeners('message');
        ws.removeAllListeners('close');
        ws.removeAllListeners('error');
        ws.removeAllListeners('unexpected-response');
        ws.on('error', () => {});
        resolve(ws);
      }
    });
  });
}

/** Runs `task` for 0..count-1 with at most `concurrency` at once. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await task(next++);
  });
  await Promise.all(lanes);
}

let idle: WebSocket[] = [];

async function openIdle(job: Extract<Job, { cmd: 'idle' }>): Promise<IdleReport> {
  const started = performance.now();
  let failed = 0;
  let firstError: string | null = null;
  await pool(job.count, job.concurrency, async (i) => {
    const url = job.target === 'courier' ? job.url : `${job.url}/?id=idle-${job.worker}-${i}&peer=none`;
    try {
      const ws = await open(job.target, url, job.tokens[i % job.tokens.length] ?? '', job.localAddress);
      ws.on('message', () => {}); // presence updates and the like: read and dropped
      idle.push(ws);
    } catch (error) {
      failed++;
      firstError ??= error instanceof Error ? error.message : String(error);
    }
  });
  return { opened: idle.length, failed, firstError, ms: performance.now() - started };
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close(1000);
          setTimeout(() => {
            ws.terminate();
            resolve();
          }, 3000).unref();
        }),
    ),
  );
}

// ---------------------------------------------------------------------------------------
// Pairs and timed steps

interface Side {
  /** Position in `sides`. */
  index: number;
  ws: WebSocket;
  conversationId: string;
  /** Index of the other socket of the pair. */
  peer: number;
}

/**
 * One step's bookkeeping, indexed by message number n (ids are "<step>.<n>"): typed arrays,
 * so tracking 150k messages allocates nothing per message and adds no GC pauses of its own.
 */
interface StepState {
  step: number;
  sentAt: Float64Array;
  /** Index into `sides` of the sending socket. */
  sender: Int32Array;
  /** Bit 1: acked, bit 2: delivered. */
  done: Uint8Array;
  sent: number;
  stats: StepStats;
}

let target: Target = 'courier';
let sides: Side[] = [];
let current: StepState | null = null;

interface StepStats {
  acked: number;
  delivered: number;
  duplicates: number;
  misrouted: number;
  errors: number;
  firstError: string | null;
  /** Latencies (ms) in arrival order; the first `acked` / `delivered` entries are set. */
  ack: Float64Array;
  deliver: Float64Array;
}

async function openPairs(job: Extract<Job, { cmd: 'pairs' }>): Promise<number> {
  target = job.target;
  sides = new Array<Side>(job.pairs.length * 2);
  await pool(job.pairs.length, 50, async (k) => {
    const pair = job.pairs[k]!;
    const url = (me: string, peer: string) => (job.target === 'courier' ? job.url : `${job.url}/?id=${me}&peer=${peer}`);
    const [wa, wb] = await Promise.all([
      open(job.target, url(`p${pair.index}a`, `p${pair.index}b`), pair.a.token, job.localAddress),
      open(job.target, url(`p${pair.index}b`, `p${pair.index}a`), pair.b.token, job.localAddress),
    ]);
    const conversationId = job.target === 'courier' ? await openDirect(wa, pair.b) : `c_pair${pair.index}`;
    const a: Side = { index: 2 * k, ws: wa, conversationId, peer: -1 };
    const b: Side = { index: 2 * k + 1, ws: wb, conversationId, peer: 2 * k };
    a.peer = b.index;
    sides[a.index] = a;
    sides[b.index] = b;
  });
  for (const side of sides) side.ws.on('message', (data) => onFrame(side, String(data)));
  return sides.length;
}

/** conversation.openDirect from one side; resolves to the conversation id. */
function openDirect(ws: WebSocket, other: PeerSpec): Promise<string> {
  return new Promise((resolve, reject) => {
    const listener = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as { type: string; id?: string; data?: { conversation: { id: string } }; message?: string };
      if (frame.id !== 'open') return;
      ws.off('message', listener);
      if (frame.type === 'result' && frame.data) resolve(frame.data.conversation.id);
      else reject(new Error(`openDirect failed: ${frame.message}`));
    };
    ws.on('message', listener);
    ws.send(JSON.stringify({ type: 'conversation.openDirect', id: 'open', userId: other.userId }));
  });
}

const ACKED = 1;
const DELIVERED = 2;

const RESULT_PREFIX = '{"type":"result","id":"';
const NEW_PREFIX = '{"type":"message.new"';
const SEND_PREFIX = '{"type":"message.send","id":"';

/** The string after `prefix` up to the next `"` (or space), or null. */
function cut(text: string, from: number, stop: string): string | null {
  const end = text.indexOf(stop, from);
  return end < 0 ? null : text.slice(from, end);
}

function onFrame(side: Side, text: string): void {
  const now = performance.now();
  const c = current;
  if (!c) return; // between steps: late answers were already counted as lost
  // Fast paths read the id without JSON.parse (the generator shares the CPU with the
  // server); anything unexpected goes through JSON.parse below.
  let id: string | null = null;
  let isAck = false;
  if (target === 'bare') {
    if (!text.startsWith(SEND_PREFIX)) return; // hello echoes
    id = cut(text, SEND_PREFIX.length, '"');
  } else if (text.startsWith(RESULT_PREFIX)) {
    id = cut(text, RESULT_PREFIX.length, '"');
    isAck = true;
  } else if (text.startsWith(NEW_PREFIX)) {
    const at = text.indexOf('"body":"');
    if (at >= 0 && text.includes('"kind":"text"')) id = cut(text, at + 8, ' ');
  }
  if (id === null) {
    const frame = JSON.parse(text) as { type: string; id?: string | null; code?: string; message?: unknown };
    if (frame.type === 'error') {
      c.stats.errors++;
      c.stats.firstError ??= `${frame.code}: ${String(frame.message)}`;
    }
    return; // errors leave their message unacked (counted as lost); presence, receipts, snapshots are ignored
  }

  const dot = id.indexOf('.');
  if (dot < 0) return;
  if (Number(id.slice(0, dot)) !== c.step) return; // a late answer from an earlier step
  const n = Number(id.slice(dot + 1));
  if (!(n >= 0 && n < c.sent)) {
    c.stats.misrouted++; // an id this step never sent
    return;
  }
  const sender = c.sender[n]!;
  if (target === 'bare') isAck = side.index === sender;
  const expected = isAck ? sender : sides[sender]!.peer;
  const bit = isAck ? ACKED : DELIVERED;
  if (side.index !== expected) c.stats.misrouted++;
  else if (c.done[n]! & bit) c.stats.duplicates++;
  else {
    c.done[n]! |= bit;
    const ms = now - c.sentAt[n]!;
    if (isAck) {
      c.stats.ack[c.stats.acked++] = ms;
    } else {
      c.stats.deliver[c.stats.delivered++] = ms;
    }
  }
}

async function runStep(job: Extract<Job, { cmd: 'step' }>): Promise<StepReport> {
  const total = Math.round((job.rate * job.durationMs) / 1000);
  const stats: StepStats = { acked: 0, delivered: 0, duplicates: 0, misrouted: 0, errors: 0, firstError: null, ack: new Float64Array(total), deliver: new Float64Array(total) };
  const state: StepState = { step: job.step, sentAt: new Float64Array(total), sender: new Int32Array(total), done: new Uint8Array(total), sent: 0, stats };
  current = state;
  const perMs = job.rate / 1000;
  const cpu0 = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let maxLag = 0;
  let lastSend = 0;
  const start = performance.now();

  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - start) * perMs));
      if (state.sent < due) maxLag = Math.max(maxLag, now - (start + state.sent / perMs));
      while (state.sent < due) {
        const n = state.sent;
        const side = sides[n % sides.length]!;
        const id = `${job.step}.${n}`;
        const t = performance.now();
        state.sentAt[n] = t;
        state.sender[n] = side.index;
        state.sent++;
        side.ws.send(
          `{"type":"message.send","id":"${id}","conversationId":"${side.conversationId}","clientId":"${uuidv7()}","body":"${id} ${FILLER}"}`,
        );
        lastSend = t;
      }
      if (state.sent < total) setTimeout(tick, 1);
      else done();
    };
    tick();
  });

  const graceEnd = performance.now() + job.graceMs;
  while ((stats.acked < state.sent || stats.delivered < state.sent) && performance.now() < graceEnd) await sleep(5);
  loop.disable();
  let lost = 0;
  for (let n = 0; n < state.sent; n++) if (state.done[n] !== (ACKED | DELIVERED)) lost++;
  const cpu = process.cpuUsage(cpu0);
  current = null;
  return {
    sent: state.sent,
    acked: stats.acked,
    delivered: stats.delivered,
    lost,
    duplicates: stats.duplicates,
    misrouted: stats.misrouted,
    errors: stats.errors,
    firstError: stats.firstError,
    sendSeconds: (lastSend - start) / 1000,
    maxSendLagMs: maxLag,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    ackMs: stats.ack.slice(0, stats.acked),
    deliverMs: stats.deliver.slice(0, stats.delivered),
  };
}

// ---------------------------------------------------------------------------------------

process.on('message', (job: Job) => {
  const run = async (): Promise<Reply> => {
    switch (job.cmd) {
      case 'idle':
        return { ok: true, cmd: 'idle', report: await openIdle(job) };
      case 'closeIdle':
        await closeAll(idle);
        idle = [];
        return { ok: true, cmd: 'closeIdle' };
      case 'pairs':
        return { ok: true, cmd: 'pairs', opened: await openPairs(job) };
      case 'step':
        return { ok: true, cmd: 'step', report: await runStep(job) };
      case 'closePairs':
        await closeAll(sides.map((s) => s.ws));
        sides = [];
        return { ok: true, cmd: 'closePairs' };
    }
  };
  run().then(send, (error: unknown) => send({ ok: false, cmd: job.cmd, error: error instanceof Error ? error.stack ?? error.message : String(error) }));
});
