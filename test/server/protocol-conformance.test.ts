import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { CLOSE, CLOSE_REASONS, MAX_FRAME_BYTES, PROTOCOL, TYPING_TTL_MS, WS_PATH } from '../../src/shared/protocol';
import { MAX_SOCKETS_PER_USER } from '../../src/server/realtime/gateway';
import { FlowSocket, eventually, metricValue, seedHistory } from '../helpers/flow-client';
import { sendPaced } from '../helpers/paced-sender';
import { DEFAULT_ABUSE_POLICY } from '../../src/server/realtime/budgets';
import { collect, rawClient, serverPerTest, syncAll, type RawClient } from '../helpers/server';

/**
 * What docs/protocol.md promises a client that knows nothing but the text: the cases a
 * client developer found where the server and the page disagreed, each pinned down.
 */
const start = serverPerTest();

/** A socket's first frame, then how it closed. */
async function firstFrameAndClose(client: RawClient) {
  const frame = await client.next();
  return { frame, closed: await client.closed };
}

describe('§4 authenticating with a first frame', () => {
  it('answers an auth frame whose token is over 4096 characters with too_large, then closes with 4001', async () => {
    const s = await start();
    const client = await rawClient(s);
    client.ws.send(JSON.stringify({ type: 'auth', token: 'x'.repeat(4097) }));
    expect(await firstFrameAndClose(client)).toEqual({
      frame: { type: 'error', id: null, code: 'too_large', message: expect.stringContaining('token') },
      closed: { code: CLOSE.authTimeout, reason: CLOSE_REASONS.authRequired },
    });
  });

  it('answers an auth frame that fails its schema otherwise with bad_frame, and any other first frame with auth_required, then 4001', async () => {
    const s = await start();
    for (const [first, code] of [
      [JSON.stringify({ type: 'auth', token: '' }), 'bad_frame'],
      [JSON.stringify({ type: 'auth' }), 'bad_frame'],
      ['{not json', 'auth_required'],
      [JSON.stringify({ type: 'conversation.list', id: 'early' }), 'auth_required'],
    ] as const) {
      const client = await rawClient(s);
      client.ws.send(first);
      const { frame, closed } = await firstFrameAndClose(client);
      expect(frame).toMatchObject({ type: 'error', code });
      expect(closed.code).toBe(CLOSE.authTimeout);
    }
  });

  it('holds frames pipelined behind the auth frame, malformed and binary ones included, and answers them after ready without closing', async () => {
    const s = await start();
    const alice = await s.user();
    const client = await rawClient(s);
    client.ws.send(JSON.stringify({ type: 'auth', token: alice.tokens.accessToken }));
    client.ws.send('{not json');
    client.ws.send(Buffer.from([1, 2, 3]));
    client.ws.send(JSON.stringify({ type: 'conversation.list', id: 'after' }));
    expect(await client.next()).toMatchObject({ type: 'ready' });
    expect(await client.next()).toMatchObject({ type: 'error', id: null, code: 'bad_frame', message: 'frame is not valid JSON' });
    expect(await client.next()).toMatchObject({ type: 'error', id: null, code: 'bad_frame', message: 'frames must be UTF-8 JSON text' });
    expect(await client.next()).toMatchObject({ type: 'result', id: 'after' });
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    client.ws.close();
  });
});

describe('§12 typing expiry on the server', () => {
  it('forgets a "typing" exactly ttlMs after relaying it, whenever its sweep runs', async () => {
    let clock = Date.now();
    const s = await start({ presenceGraceMs: 600_000 }, { now: () => clock });
    const alice = await s.user();
    const bob = await s.user();
    const a = await alice.connect();
    const b = await bob.connect();
    await syncAll(b);
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const heard = collect(b, 'typing.updated');
    const typing = (value: boolean) => a.request('typing.set', { conversationId: conversation.id, typing: value });

    await typing(true); // relayed at T
    clock += TYPING_TTL_MS - 1;
    await typing(false); // still shown on Bob's screen: relayed
    clock += 10;
    await typing(true); // relayed at T'
    clock += TYPING_TTL_MS;
    await typing(false); // Bob's screen dropped it at T' + ttlMs: nothing to stop
    await typing(true); // a fresh start, relayed
    await b.request('conversation.list', {}); // a round trip: Bob has everything relayed before it
    expect(heard.map((e) => e.typing)).toEqual([true, false, true, true]);
  });
});

describe('§16 closes, counted', () => {
  it('counts every close in courier_closes_total by code, whoever closed, heartbeat cuts included', async () => {
    const s = await start({ heartbeatMs: 2000, maxBufferedBytes: 16_384 });
    const alice = await s.user();
    const wsUrl = `${s.url.replace(/^http/, 'ws')}${WS_PATH}`;
    const closeOf = (client: RawClient) => client.closed.then((c) => c.code);

    const tooBig = await rawClient(s, { token: alice.tokens.accessToken });
    tooBig.ws.send(JSON.stringify({ type: 'conversation.list', id: 'x'.repeat(MAX_FRAME_BYTES) }));
    const notUtf8 = await rawClient(s, { token: alice.tokens.accessToken });
    notUtf8.ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), { binary: false });
    const noAuth = await rawClient(s);
    noAuth.ws.send(JSON.stringify({ type: 'conversation.list', id: 'early' }));
    const badToken = await rawClient(s);
    badToken.ws.send(JSON.stringify({ type: 'auth', token: 'nonsense' }));
    const polite = await rawClient(s, { token: alice.tokens.accessToken });
    polite.ws.close(1000, 'bye');
    expect(await Promise.all([tooBig, notUtf8, noAuth, badToken, polite].map(closeOf))).toEqual([
      CLOSE.tooBig,
      CLOSE.invalidPayload,
      CLOSE.authTimeout,
      CLOSE.authInvalid,
      1000,
    ]);

    // A deaf peer: never answers a ping, sends nothing, is sent nothing.
    const deaf = new WebSocket(wsUrl, [PROTOCOL], { headers: { authorization: `Bearer ${alice.tokens.accessToken}` }, autoPong: false });
    const deafClosed = new Promise<number>((resolve) => deaf.once('close', resolve));
    // A slow consumer: stops reading while asking for 4 pages of 100 entries of 16 KB (6 MB).
    const bob = await s.user();
    const { conversation } = await (await alice.connect()).request('conversation.openDirect', { userId: bob.user.id });
    await seedHistory(s, alice.user.id, conversation.id, 100, 16_000);
    const slow = await FlowSocket.open(s, bob.tokens.accessToken);
    slow.pause();
    for (let i = 0; i < 4; i++) slow.ws.send(JSON.stringify({ type: 'history.fetch', id: `h${i}`, conversationId: conversation.id, limit: 100 }));
    expect(await deafClosed).toBe(1006);
    slow.resume();
    expect([CLOSE.slowConsumer, 1006]).toContain((await slow.closed).code); // 1006 if the cut came first

    // heartbeat: at least the deaf one (a socket of this process that the machine's load kept
    // from answering a ping in time would be a second, and rightly counted).
    const expected = { '1009': 1, '1007': 1, '4001': 1, '4002': 1, '1000': 1, heartbeat: 1, '4500': 1 };
    const counted = async () => {
      const entries = await Promise.all(Object.keys(expected).map(async (code) => [code, await metricValue(s, `courier_closes_total{code="${code}"}`)]));
      const values = Object.fromEntries(entries) as Record<string, number>;
      return { ...values, heartbeat: Math.min(values['heartbeat']!, 1) };
    };
    await eventually(async () => JSON.stringify(await counted()) === JSON.stringify(expected), 'every close to be counted');
    expect(await counted()).toEqual(expected);
  }, 30_000);
});

describe('§14 pacing', () => {
  it('announces every budget it enforces in ready.limits', async () => {
    const s = await start({ rateFramesPerSec: 60, rateMessagesPerSec: 30 }, { policy: DEFAULT_ABUSE_POLICY }); // the defaults, not the tests' generous ones
    const alice = await s.user();
    const socket = await FlowSocket.open(s, alice.tokens.accessToken);
    expect(socket.ready['limits']).toEqual({
      maxFrameBytes: 65_536,
      maxBodyBytes: 16_384,
      maxPageSize: 100,
      framesPerSec: 60,
      frameBurst: 120,
      messagesPerSec: 30,
      messageBurst: 60,
      noticesPerSec: 2,
      noticeBurst: 5,
      maxRejections: 50,
      rejectionWindowMs: 10_000,
      maxSocketsPerUser: MAX_SOCKETS_PER_USER,
      budgets: {
        groupsPerHour: 30,
        membersAddedPerHour: 600,
        directsPerHour: 60,
        conversationChangesPerMinute: 12,
        readsPerSec: 20,
        readBurst: 40,
        readBytesPerSec: 2 * 1024 * 1024,
        readBytesBurst: 8 * 1024 * 1024,
        searchesPerMinute: 60,
      },
    });
    socket.ws.close();
  });

  it('lets two devices of one account that follow the recipe send 500 messages, 8 in flight each, without a 1008', async () => {
    const s = await start({ rateFramesPerSec: 200, rateMessagesPerSec: 100 });
    const alice = await s.user();
    const bob = await s.user();
    const setup = await alice.connect();
    const { conversation } = await setup.request('conversation.openDirect', { userId: bob.user.id });
    const [laptop, phone] = await Promise.all([FlowSocket.open(s, alice.tokens.accessToken), FlowSocket.open(s, alice.tokens.accessToken)]);
    // Each device paces itself at the account's full rate: together they ask for twice
    // what the account may send, so the server turns many sends away as rate_limited.
    const bodies = (device: string) => Array.from({ length: 250 }, (_, i) => `${device} ${i}`);
    const [fromLaptop, fromPhone] = await Promise.all([
      sendPaced(laptop, conversation.id, bodies('laptop'), 8),
      sendPaced(phone, conversation.id, bodies('phone'), 8),
    ]);
    const seqs = [...fromLaptop.acks, ...fromPhone.acks].map((ack) => ack.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 500 }, (_, i) => i + 2)); // after the "created" entry, each once
    expect(fromLaptop.rateLimited + fromPhone.rateLimited).toBeGreaterThan(0); // the shared budget did bite
    expect(laptop.isOpen && phone.isOpen).toBe(true);
    expect(await metricValue(s, 'courier_closes_total{code="1008"}')).toBe(0);
    laptop.ws.close();
    phone.ws.close();
  }, 30_000);
});

describe('§14 account-wide budgets and the abuse limit', () => {
  it('does not hold it against a socket that the account’s other devices spent a shared budget', async () => {
    const s = await start({}, { policy: { readsPerSecond: 50 } });
    const alice = await s.user();
    const devices = await Promise.all([FlowSocket.open(s, alice.tokens.accessToken), FlowSocket.open(s, alice.tokens.accessToken)]);
    // Each device reads 150 times, one request at a time, waiting out every rate_limited as
    // told: 300 reads where the account may make 100 at once and 50 a second.
    const refused = await Promise.all(
      devices.map(async (device) => {
        let limited = 0;
        for (let done = 0; done < 150; ) {
          const answer = await device.request('conversation.list');
          if (answer['type'] === 'result') done++;
          else if (answer['code'] === 'rate_limited') {
            limited++;
            await new Promise((r) => setTimeout(r, Number(answer['retryAfterMs'])));
          } else throw new Error(JSON.stringify(answer));
        }
        return limited;
      }),
    );
    expect(refused[0]! + refused[1]!).toBeGreaterThan(50); // plenty of refusals…
    expect(devices.every((d) => d.isOpen)).toBe(true); // … and neither socket was closed for them
    expect(await metricValue(s, 'courier_closes_total{code="1008"}')).toBe(0);
    for (const d of devices) d.ws.close();
  }, 30_000);
});

describe('§16 the three causes of 1008', () => {
  it('closes each with its own documented reason', async () => {
    const s = await start();
    const alice = await s.user();

    const rejected = await rawClient(s, { token: alice.tokens.accessToken });
    for (let i = 0; i <= 50; i++) rejected.ws.send(JSON.stringify({ type: 'no.such.request', id: `r${i}` }));
    expect(await rejected.closed).toEqual({ code: CLOSE.policyViolation, reason: CLOSE_REASONS.tooManyRejections });

    const open = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_USER }, () => rawClient(s, { token: alice.tokens.accessToken })));
    const extra = await rawClient(s, { token: alice.tokens.accessToken });
    expect(await extra.closed).toEqual({ code: CLOSE.policyViolation, reason: CLOSE_REASONS.tooManySockets });
    for (const c of open) c.ws.terminate();

    const eager = await rawClient(s);
    // One write, so all 34 frames are read before the token is checked.
    const tcp = (eager.ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    tcp.cork();
    eager.ws.send(JSON.stringify({ type: 'auth', token: alice.tokens.accessToken }));
    for (let i = 0; i < 33; i++) eager.ws.send(JSON.stringify({ type: 'conversation.list', id: `e${i}` }));
    tcp.uncork();
    expect(await eager.closed).toEqual({ code: CLOSE.policyViolation, reason: CLOSE_REASONS.tooManyEarlyFrames });
  });
});

describe('§5 acks and message.new on the sending socket', () => {
  it('keeps message.new in seq order and leaves exactly this socket’s own entries to its acks', async () => {
    const s = await start();
    const alice = await s.user();
    const bob = await s.user();
    const a = await alice.connect();
    const b = await bob.connect();
    await syncAll(a);
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const live = collect(a, 'message.new');
    const [acks] = await Promise.all([
      Promise.all(Array.from({ length: 300 }, (_, i) => a.send(conversation.id, `alice ${i}`))),
      Promise.all(Array.from({ length: 300 }, (_, i) => b.send(conversation.id, `bob ${i}`))),
    ]);
    await a.request('conversation.list', {}); // every message.new for Alice's socket is in
    const heard = live.map((e) => e.message.seq);
    expect(heard).toEqual([...heard].sort((x, y) => x - y)); // in seq order
    expect(heard.every((seq, i) => i === 0 || seq > heard[i - 1]!)).toBe(true);
    const own = acks.map((ack) => ack.seq);
    expect(new Set([...heard, ...own]).size).toBe(600); // disjoint …
    expect([...heard, ...own].sort((x, y) => x - y)).toEqual(Array.from({ length: 600 }, (_, i) => i + 2)); // … and gapless together
  });
});

describe('§6 message.send idempotency', () => {
  it('answers a retry that arrives before the original committed with the original ack, and stores and announces one entry', async () => {
    const s = await start();
    const alice = await s.user();
    const bob = await s.user();
    const a = await alice.connect();
    const phone = await alice.connect();
    const b = await bob.connect();
    await syncAll(b);
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const heard = collect(b, 'message.new');
    const clientId = randomUUID();
    // Sent in one turn: none of them is committed when the others arrive.
    const acks = await Promise.all([
      a.send(conversation.id, 'once', clientId),
      a.send(conversation.id, 'once', clientId),
      phone.send(conversation.id, 'once', clientId),
    ]);
    expect(new Set(acks.map((ack) => JSON.stringify(ack))).size).toBe(1);
    expect(acks[0]).toMatchObject({ conversationId: conversation.id, clientId, seq: 2 });
    await b.request('conversation.list', {});
    expect(heard.map((e) => e.message.seq)).toEqual([2]);
    expect((await a.history(conversation.id)).messages.map((m) => m.seq)).toEqual([1, 2]);
  });
});

describe('§8 catch-up with a backlog', () => {
  it('resumes from the top of what the backlog sync gave, and leaves out a conversation it gave nothing of', async () => {
    const s = await start();
    const alice = await s.user();
    const bob = await s.user();
    const carol = await s.user();
    const a = await alice.connect();
    const { conversation: withBob } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const { conversation: group } = await a.request('conversation.createGroup', { title: 'quiet', memberIds: [bob.user.id, carol.user.id] });
    await seedHistory(s, alice.user.id, withBob.id, 20, 10); // seqs 2..21

    const first = await bob.connect();
    let batches: Array<{ messages: Array<{ conversationId: string; seq: number }> }> = [];
    await first.sync([], (batch) => batches.push(batch), 5);
    const got = batches.flatMap((batch) => batch.messages);
    expect(got.filter((m) => m.conversationId === withBob.id).map((m) => m.seq)).toEqual([17, 18, 19, 20, 21]);
    await first.close();

    await seedHistory(s, alice.user.id, withBob.id, 3, 10); // seqs 22..24
    const again = await bob.connect();
    batches = [];
    await again.sync([[withBob.id, 21]], (batch) => batches.push(batch), 0);
    const resumed = batches.flatMap((batch) => batch.messages);
    expect(resumed.filter((m) => m.conversationId === withBob.id).map((m) => m.seq)).toEqual([22, 23, 24]);
    expect(resumed.filter((m) => m.conversationId === group.id)).toEqual([]); // backlog 0, left out: nothing again
  });
});

describe('§8 presence of a contact who never connected', () => {
  it('is offline, last seen when they signed up', async () => {
    const s = await start();
    const before = Date.now();
    const carol = await s.user(); // registers (a session is a sign-in), never opens a socket
    const after = Date.now();
    const alice = await s.user();
    // Carol's side of the conversation, without a socket of hers: she started it.
    await s.store.openDirect(carol.user.id, alice.user.id, Date.now());
    const a = await alice.connect();
    const { result } = await syncAll(a);
    const presence = result.presence.find((p) => p.userId === carol.user.id);
    expect(presence).toMatchObject({ status: 'offline', lastSeenAt: expect.any(Number) });
    expect(presence!.lastSeenAt).toBeGreaterThanOrEqual(before);
    expect(presence!.lastSeenAt).toBeLessThanOrEqual(after);
  });
});
