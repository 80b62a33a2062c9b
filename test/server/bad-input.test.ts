import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CourierSocket } from '../../src/client';
import type { CourierError } from '../../src/client/errors';
import { CLOSE, ERROR_CODES, MAX_FRAME_BYTES, REQUEST_TYPES } from '../../src/shared/protocol';
import { uuidv7 } from '../../src/shared/uuid-v7';
import { barrier, collect, nextEvent, rawClient, serverPerTest, sleep, startTestServer, syncAll, waitUntil, type RawClient, type TestServer, type TestUser } from '../helpers/server';

type Frame = Record<string, unknown>;

const KNOWN_TYPES = ['auth', ...REQUEST_TYPES];
const NONEXISTENT = 'c_AAAAAAAAAAAAAAAAAAAAAA';
const UUID = '0190f5b2-1c1d-7abc-8def-0123456789ab';
/** Ids that name properties of every JavaScript object, and pass the id pattern. */
const PROTO_IDS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/** The id an answer must carry: the frame's own, when it is an acceptable request id. */
function expectedId(text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const id = Object.hasOwn(value, 'id') ? (value as Frame)['id'] : undefined;
  return typeof id === 'string' && id.length >= 1 && id.length <= 64 ? id : null;
}

/** The close code of a socket the server should be closing now. */
function closeCode(client: RawClient, ms = 3000): Promise<number> {
  return Promise.race([
    client.closed.then((c) => c.code),
    sleep(ms).then(() => {
      throw new Error(`the server did not close the socket within ${ms} ms`);
    }),
  ]);
}

function isAnswer(f: Frame): boolean {
  return f['type'] === 'error' || f['type'] === 'result';
}

/**
 * Sends one frame at a time and returns the one `error` or `result` that answers it.
 * The server closes a socket after 50 rejected frames in 10 s (abuse), so the prober
 * moves to a fresh socket of the same user well before that.
 */
class Prober {
  private client: RawClient | null = null;
  private sent = 0;
  sockets = 0;
  frames = 0;

  constructor(
    private readonly server: TestServer,
    private readonly token: string,
  ) {}

  async answer(text: string | Buffer, binary = false): Promise<Frame> {
    if (!this.client || this.sent >= 40) await this.reopen();
    this.sent++;
    this.frames++;
    const client = this.client!;
    client.ws.send(text, { binary });
    const answer = await Promise.race([
      client.next(isAnswer, 5000),
      client.closed.then(({ code }) => {
        throw new Error(`the server closed the socket (${code}) instead of answering ${String(text).slice(0, 200)}`);
      }),
    ]);
    return answer;
  }

  async close(): Promise<void> {
    if (this.client) {
      this.client.ws.close();
      await this.client.closed;
    }
    this.client = null;
  }

  private async reopen(): Promise<void> {
    await this.close();
    const client = await rawClient(this.server, { token: this.token });
    await client.next((f) => f['type'] === 'ready');
    this.client = client;
    this.sent = 0;
    this.sockets++;
  }
}

/** The frame got a well-formed error answer naming the right request. */
function expectError(text: string, answer: Frame, codes: readonly string[] = ERROR_CODES): void {
  const context = { frame: text.slice(0, 300), answer };
  expect(answer['type'], JSON.stringify(context)).toBe('error');
  expect(codes, JSON.stringify(context)).toContain(answer['code']);
  expect(answer['code'], JSON.stringify(context)).not.toBe('internal');
  expect(answer['id'], JSON.stringify(context)).toBe(expectedId(text));
  expect(typeof answer['message']).toBe('string');
}

// ---------------------------------------------------------------------------------------
// Valid frames, and for each field the values it must refuse.

const TEMPLATES: Record<string, Frame> = {
  auth: { token: 'x' },
  sync: { watermarks: [[NONEXISTENT, 0]], backlog: 10 },
  'message.send': { conversationId: NONEXISTENT, clientId: UUID, body: 'hi' },
  'history.fetch': { conversationId: NONEXISTENT, before: 'aDE6NQ', limit: 10 },
  'receipt.mark': { conversationId: NONEXISTENT, kind: 'read', seq: 1 },
  'typing.set': { conversationId: NONEXISTENT, typing: true },
  'presence.set': { status: 'away' },
  'conversation.list': {},
  'conversation.get': { conversationId: NONEXISTENT },
  'conversation.openDirect': { userId: 'u_x' },
  'conversation.createGroup': { title: 't', memberIds: [] },
  'conversation.rename': { conversationId: NONEXISTENT, title: 't' },
  'conversation.addMembers': { conversationId: NONEXISTENT, userIds: ['u_x'] },
  'conversation.removeMember': { conversationId: NONEXISTENT, userId: 'u_x' },
  'conversation.leave': { conversationId: NONEXISTENT },
  'conversation.accept': { conversationId: NONEXISTENT },
  'conversation.decline': { conversationId: NONEXISTENT },
  'user.search': { query: 'a', limit: 5 },
  'block.add': { userId: 'u_x' },
  'block.remove': { userId: 'u_x' },
  'block.list': {},
  'privacy.get': {},
  'privacy.set': { privacy: { lastSeen: 'nobody' } },
  'session.renew': { token: 'x' },
};
const OPTIONAL_FIELDS = new Set(['backlog', 'before', 'limit']);
const NOTICES = new Set(['receipt.mark', 'typing.set', 'presence.set']);

const NOT_A_STRING = [null, true, false, 0, 1e308, -1, 2 ** 53, [], {}, ['x'], { a: 1 }];
const NOT_A_SEQ = [-1, 1.5, 2 ** 53, 1e308, -1e308, 'NaN', 'Infinity', '1', null, true, [], {}];
const BAD_ID = [...NOT_A_STRING, '', 'x'.repeat(41), 'has space', 'ünï', '../etc/passwd', 'a.b', 'a\u0000b'];
const tooMany = (n: number, value: unknown) => Array.from({ length: n }, () => value);

const BAD_VALUES: Record<string, unknown[]> = {
  id: [...NOT_A_STRING, '', 'x'.repeat(65)],
  token: [...NOT_A_STRING, '', 'x'.repeat(4097)],
  conversationId: BAD_ID,
  userId: BAD_ID,
  clientId: [...NOT_A_STRING, '', 'not-a-uuid', `${UUID}a`, UUID.replace(/-/g, ''), UUID.replace('0', 'g')],
  body: [...NOT_A_STRING, '', 'x'.repeat(16 * 1024 + 1), 'é'.repeat(8 * 1024 + 1), '😀'.repeat(4 * 1024 + 1)],
  before: [...NOT_A_STRING, 'x'.repeat(201)],
  limit: [0, 101, ...NOT_A_SEQ, '10'],
  seq: NOT_A_SEQ,
  backlog: NOT_A_SEQ,
  kind: ['seen', '', 'READ', 1, null, ['read']],
  typing: ['true', 1, 0, null, [], {}],
  status: ['offline', 'busy', '', 1, null, ['away']],
  title: [...NOT_A_STRING, '', '   ', 'x'.repeat(129)],
  memberIds: ['u_x', null, 5, {}, [5], [null], [''], [[]], tooMany(256, 'u_x')],
  userIds: [[], 'u_x', null, [5], [''], tooMany(256, 'u_x')],
  watermarks: [null, {}, 'c', [['c']], [['c', -1]], [['c', 1, 2]], [[5, 1]], [['c', 2 ** 53]], [['c', 'NaN']], [[]], [null], tooMany(2101, ['c', 0])],
  privacy: [null, 'nobody', [], { lastSeen: 'everyone' }, { lastSeen: 1 }, { lastSeen: null }],
  query: [...NOT_A_STRING, '', '   ', 'x'.repeat(65)],
};

/** A frame of a known type with exactly one field wrong (a bad value, or a required field left out). */
const wrongFrame = fc
  .record({
    type: fc.constantFrom(...KNOWN_TYPES),
    id: fc.string({ minLength: 1, maxLength: 64, unit: 'binary' }),
    pick: fc.nat(),
    value: fc.nat(),
    omit: fc.boolean(),
  })
  .map(({ type, id, pick, value, omit }) => {
    const template = TEMPLATES[type]!;
    const frame: Frame = { type, id, ...template };
    const fields = Object.keys(template).concat(type === 'auth' ? [] : ['id']);
    const required = fields.filter((f) => !OPTIONAL_FIELDS.has(f) && !(f === 'id' && NOTICES.has(type)));
    if (omit && required.length > 0) {
      delete frame[required[pick % required.length]!];
      return JSON.stringify(frame);
    }
    const field = fields[pick % fields.length]!;
    const bad = BAD_VALUES[field]!;
    frame[field] = bad[value % bad.length];
    return JSON.stringify(frame);
  });

// ---------------------------------------------------------------------------------------

describe('a client sending garbage', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let a: CourierSocket;
  let b: CourierSocket;
  let direct: string;
  let mallory: TestUser;
  let malloryOwn: string;
  let prober: Prober;
  let spare: TestUser;
  const observerTrouble: string[] = [];
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    // Rate limits out of the way: this is about parsing, not flow control.
    server = await startTestServer({ rateFramesPerSec: 100_000, rateMessagesPerSec: 100_000 });
    alice = await server.user();
    bob = await server.user();
    mallory = await server.user();
    const dummy = await server.user();
    spare = await server.user();
    a = await alice.connect();
    b = await bob.connect();
    await syncAll(a);
    await syncAll(b);
    direct = (await a.request('conversation.openDirect', { userId: bob.user.id })).conversation.id;
    await b.request('conversation.accept', { conversationId: direct }); // a request from a stranger, answered
    // The conversation's own events have landed (published before the answer above) before the observers start listening.
    await Promise.all([barrier(a), barrier(b)]);
    for (const [name, s] of [['alice', a], ['bob', b]] as const) {
      s.onClose((code) => observerTrouble.push(`${name} closed ${code}`));
      s.onServerError((e: CourierError) => observerTrouble.push(`${name} got ${e.code}`));
      for (const type of ['message.new', 'conversation.updated', 'conversation.removed', 'presence.updated', 'typing.updated', 'receipt.updated'] as const) {
        s.on(type, () => observerTrouble.push(`${name} heard ${type}`));
      }
    }
    const m = await mallory.connect();
    malloryOwn = (await m.request('conversation.openDirect', { userId: dummy.user.id })).conversation.id;
    await m.close();
    prober = new Prober(server, mallory.tokens.accessToken);
  });

  afterAll(async () => {
    await prober.close();
    await server.stop();
  });

  it('answers arbitrary strings with an error frame', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string()), async (text) => {
        expectError(text, await prober.answer(text));
      }),
      { numRuns: 400 },
    );
  });

  it('answers arbitrary JSON values with an error frame carrying the request id when there is one', async () => {
    // Ids around the accepted lengths (1-64), and ids that are not strings at all.
    const idLike = fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('', 'x', 'x'.repeat(64), 'x'.repeat(65)), fc.jsonValue({ maxDepth: 1 }));
    const json = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc
        .dictionary(fc.constantFrom('type', 'conversationId', 'body', 'token', 'x'), fc.jsonValue({ maxDepth: 2 }))
        .chain((fields) => idLike.map((id) => ({ ...fields, id }))),
    );
    await fc.assert(
      fc.asyncProperty(json, async (value) => {
        const text = JSON.stringify(value) ?? 'null';
        expectError(text, await prober.answer(text));
      }),
      { numRuns: 400 },
    );
  });

  it('refuses every known type with one field of the wrong type, missing, or out of range', async () => {
    await fc.assert(
      fc.asyncProperty(wrongFrame, async (text) => {
        expectError(text, await prober.answer(text), ['bad_frame', 'too_large']);
      }),
      { numRuns: 500 },
    );
  });

  it('answers unknown types (and non-string types) with unknown_type (bad_frame)', async () => {
    const unknownType = fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), fc.constantFrom(...PROTO_IDS, 'Sync', 'message.send ', 'message', ''));
    const frame = fc.record({ type: unknownType, id: fc.option(fc.string({ minLength: 1, maxLength: 64 }), { nil: undefined }) });
    await fc.assert(
      fc.asyncProperty(frame, async (f) => {
        fc.pre(!KNOWN_TYPES.includes(f.type));
        const text = JSON.stringify(f);
        expectError(text, await prober.answer(text), ['unknown_type']);
      }),
      { numRuns: 300 },
    );
    for (const type of [5, null, true, ['sync'], { toString: 'sync' }]) {
      const text = JSON.stringify({ type, id: 'odd-type' });
      expectError(text, await prober.answer(text), ['bad_frame']);
    }
  });

  it('ignores __proto__, constructor and prototype keys: answered normally, nothing polluted', async () => {
    const junk = fc.dictionary(fc.constantFrom('polluted', 'type', 'id', 'isAdmin', 'toString', '__proto__', 'userId'), fc.jsonValue({ maxDepth: 2 }), {
      minKeys: 1,
    });
    const frame = fc.record({
      key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
      junk,
      type: fc.option(fc.constantFrom(...KNOWN_TYPES, 'nope'), { nil: undefined }),
      id: fc.option(fc.string({ minLength: 1, maxLength: 64 }), { nil: undefined }),
      where: fc.constantFrom('top', 'field', 'both'),
    });
    await fc.assert(
      fc.asyncProperty(frame, async ({ key, junk, type, id, where }) => {
        // Written as text: an object literal would set a prototype instead of a key.
        const hostile = `{"${key}":${JSON.stringify(junk)}}`;
        const parts = [
          ...(type === undefined ? [] : [`"type":${JSON.stringify(type)}`]),
          ...(id === undefined ? [] : [`"id":${JSON.stringify(id)}`]),
          ...(where !== 'field' ? [`"${key}":${JSON.stringify(junk)}`] : []),
          ...(where !== 'top' ? [`"conversationId":${hostile}`, `"watermarks":[[${hostile},0]]`, `"userIds":[${hostile}]`] : []),
        ];
        const text = `{${parts.join(',')}}`;
        const answer = await prober.answer(text);
        expect(answer['id']).toBe(expectedId(text));
        if (answer['type'] === 'error') expect(answer['code']).not.toBe('internal');
        else expect(answer['type']).toBe('result');
        // A type or id hidden in the hostile object is never read as the frame's own.
        if (type === undefined) expectError(text, answer, ['bad_frame']);
      }),
      { numRuns: 300 },
    );
    expect(({} as Frame)['polluted']).toBeUndefined();
    expect(({} as Frame)['isAdmin']).toBeUndefined();
  });

  it('answers well-formed requests naming hostile ids and extreme values without an internal error', async () => {
    const conversationId = fc.constantFrom(...PROTO_IDS, NONEXISTENT, direct, malloryOwn);
    // Real users too, but none of the observers: Alice and Bob must notice nothing.
    const userId = fc.constantFrom(...PROTO_IDS, 'u_AAAAAAAAAAAAAAAAAAAAAA', mallory.user.id, spare.user.id);
    const seq = fc.oneof(fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER), fc.nat());
    const cursor = fc.oneof(
      fc.constantFrom('h1:0', 'h1:1', 'h1:9999999999999999', 'h1:-1', 'h2:5', 'h1:1e5', 'h1:', '').map((s) => Buffer.from(s).toString('base64url')),
      fc.string({ maxLength: 200 }),
    );
    const request = fc.oneof(
      fc.record({ type: fc.constant('message.send'), conversationId, clientId: fc.uuid({ version: 7 }), body: fc.string({ minLength: 1, maxLength: 50 }) }),
      fc.record({ type: fc.constant('history.fetch'), conversationId, before: cursor, limit: fc.integer({ min: 1, max: 100 }) }),
      fc.record({ type: fc.constant('receipt.mark'), conversationId, kind: fc.constantFrom('read', 'delivered'), seq }),
      fc.record({ type: fc.constant('typing.set'), conversationId, typing: fc.boolean() }),
      fc.record({ type: fc.constant('conversation.get'), conversationId }),
      fc.record({ type: fc.constant('conversation.rename'), conversationId, title: fc.string({ minLength: 1, maxLength: 20 }).filter((t) => t.trim() !== '') }),
      fc.record({ type: fc.constant('conversation.addMembers'), conversationId, userIds: fc.array(userId, { minLength: 1, maxLength: 3 }) }),
      fc.record({ type: fc.constant('conversation.removeMember'), conversationId, userId }),
      fc.record({ type: fc.constant('conversation.leave'), conversationId: fc.constantFrom(...PROTO_IDS, NONEXISTENT, direct) }),
      fc.record({ type: fc.constant('conversation.openDirect'), userId }),
      fc.record({ type: fc.constant('user.search'), query: fc.oneof(fc.constantFrom(...PROTO_IDS, '%', '_', "'", '\\'), fc.string({ minLength: 1, maxLength: 20 })).filter((q) => q.trim() !== '') }),
      fc.record({ type: fc.constant('sync'), watermarks: fc.array(fc.tuple(conversationId, seq), { maxLength: 5 }), backlog: seq }),
    );
    let results = 0;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const id = `ok-${n++}`;
        const text = JSON.stringify({ ...req, id });
        const answer = await prober.answer(text);
        expect(answer['id'], text).toBe(id);
        if (answer['type'] === 'result') results++;
        else expectError(text, answer);
        // Mallory is not in Alice and Bob's conversation, whatever she names.
        if (answer['type'] === 'result' && 'conversationId' in req && req.conversationId === direct) throw new Error(`accepted ${text}`);
      }),
      { numRuns: 500 },
    );
    expect(results).toBeGreaterThan(0); // the generator reaches real code paths, not only refusals
  });

  it('survives deep nesting and very long strings', async () => {
    const depth = 20_000;
    const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deepObject = `${'{"a":'.repeat(9000)}1${'}'.repeat(9000)}`;
    const long = 'x'.repeat(60_000);
    const cases: Array<[string, readonly string[]]> = [
      [deepArray, ['bad_frame']],
      [deepObject, ['bad_frame']],
      [`{"type":"sync","id":"deep1","watermarks":${deepArray}}`, ['bad_frame']],
      [`{"type":"history.fetch","id":"deep2","conversationId":${deepObject}}`, ['bad_frame']],
      [`{"id":${deepArray},"type":"conversation.list"}`, ['bad_frame']],
      [JSON.stringify({ type: 'message.send', id: 'long1', conversationId: malloryOwn, clientId: UUID, body: long }), ['too_large']],
      [JSON.stringify({ type: 'message.send', id: 'long2', conversationId: malloryOwn, clientId: UUID, body: 'é'.repeat(30_000) }), ['too_large']],
      [JSON.stringify({ type: long, id: 'long3' }), ['unknown_type']],
      [JSON.stringify({ type: 'conversation.get', id: 'long4', conversationId: long }), ['bad_frame', 'too_large']],
      [JSON.stringify({ type: 'user.search', id: 'long5', query: long }), ['too_large']],
      [JSON.stringify({ type: 'conversation.list', id: long }), ['too_large', 'bad_frame']],
      [JSON.stringify({ type: 'receipt.mark', id: 'num1', conversationId: malloryOwn, kind: 'read', seq: 1e308 }), ['too_large', 'bad_frame']],
      ['{"type":"receipt.mark","id":"num2","conversationId":"c_x","kind":"read","seq":1e999}', ['bad_frame', 'too_large']],
      ['{"type":"history.fetch","id":"num3","conversationId":"c_x","limit":-0.0000001}', ['bad_frame', 'too_large']],
    ];
    for (const [text, codes] of cases) expectError(text, await prober.answer(text), codes);
    const typeAnswer = await prober.answer(JSON.stringify({ type: long, id: 'long6' }));
    expect((typeAnswer['message'] as string).length).toBeLessThan(200); // the error does not echo the input back

    // Deep or long values in fields the schema ignores cost nothing: the request succeeds.
    for (const extra of [deepArray, deepObject, JSON.stringify(long)]) {
      const answer = await prober.answer(`{"type":"conversation.list","id":"extra","junk":${extra}}`);
      expect(answer).toMatchObject({ type: 'result', id: 'extra' });
    }
  });

  it('refuses a binary frame with bad_frame, even when it holds a valid request', async () => {
    const answer = await prober.answer(Buffer.from(JSON.stringify({ type: 'conversation.list', id: 'bin' })), true);
    expect(answer).toMatchObject({ type: 'error', id: null, code: 'bad_frame' });
    const noise = await prober.answer(Buffer.from([0, 255, 1, 254, 0x7b]), true);
    expect(noise).toMatchObject({ type: 'error', id: null, code: 'bad_frame' });
  });

  it('answers an auth frame on a live socket with invalid_request and the request id', async () => {
    const text = JSON.stringify({ type: 'auth', id: 'again', token: mallory.tokens.accessToken });
    expectError(text, await prober.answer(text), ['invalid_request']);
  });

  it('closes with 1009 past 64 KiB, counting every fragment of a message, and accepts exactly 64 KiB', async () => {
    const frameOf = (bytes: number, id: string) => {
      const head = `{"type":"conversation.list","id":"${id}","pad":"`;
      return `${head}${'x'.repeat(bytes - head.length - 2)}"}`;
    };
    const exact = frameOf(MAX_FRAME_BYTES, 'exact');
    expect(Buffer.byteLength(exact)).toBe(MAX_FRAME_BYTES);
    expect(await prober.answer(exact)).toMatchObject({ type: 'result', id: 'exact' });

    const over = await fresh(mallory);
    over.ws.send(frameOf(MAX_FRAME_BYTES + 1, 'over'));
    expect(await closeCode(over)).toBe(CLOSE.tooBig);

    // A fragmented message under the limit is one frame to the protocol.
    const pieces = await fresh(mallory);
    const whole = frameOf(60_000, 'fragments');
    const third = Math.ceil(whole.length / 3);
    pieces.ws.send(whole.slice(0, third), { fin: false });
    pieces.ws.send(whole.slice(third, 2 * third), { fin: false });
    pieces.ws.send(whole.slice(2 * third), { fin: true });
    expect(await pieces.next(isAnswer)).toMatchObject({ type: 'result', id: 'fragments' });
    // Fragments each under the limit, together over it.
    const half = frameOf(40_000, 'x').slice(0, 40_000);
    pieces.ws.send(half, { fin: false });
    pieces.ws.send(half, { fin: true });
    expect(await closeCode(pieces)).toBe(CLOSE.tooBig);
    expect(pieces.inbox.filter(isAnswer)).toEqual([]);
  });

  it('closes with 1007 on a text frame that is not UTF-8', async () => {
    const client = await fresh(mallory);
    client.ws.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    expect(await closeCode(client)).toBe(1007);
  });

  it('afterwards, the well-behaved pair connected all along still talks, and Object.prototype is clean', async () => {
    expect(observerTrouble).toEqual([]); // not closed, no error, not one event caused by the garbage
    expect(a.isOpen && b.isOpen).toBe(true);
    expect(prober.sockets).toBeGreaterThan(10); // the fuzzing really ran, over many sockets
    const atBob = nextEvent(b, 'message.new', (e) => e.message.kind === 'text' && e.message.body === 'still here?');
    const ack = await a.send(direct, 'still here?');
    expect((await atBob).message.seq).toBe(ack.seq);
    const atAlice = nextEvent(a, 'message.new', (e) => e.message.kind === 'text' && e.message.body === 'yes');
    await b.send(direct, 'yes');
    await atAlice;
    expect((await b.history(direct)).messages.filter((m) => m.kind === 'text').map((m) => m.kind === 'text' && m.body)).toEqual(['still here?', 'yes']);
    await expect(server.http.serverInfo()).resolves.toMatchObject({ name: 'courier' });

    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    const probe = {} as Frame;
    for (const key of ['polluted', 'isAdmin', 'type', 'id', 'userId', 'conversationId', 'a']) expect(probe[key]).toBeUndefined();
    expect(observerTrouble.filter((t) => !t.endsWith('heard message.new'))).toEqual([]);
  });

  async function fresh(user: TestUser): Promise<RawClient> {
    const client = await rawClient(server, { token: user.tokens.accessToken });
    await client.next((f) => f['type'] === 'ready');
    return client;
  }
});

describe('a client flooding the server', () => {
  const start = serverPerTest();

  it('is rate limited with retryAfterMs, then closed with 1008, while other users’ messages keep flowing', async () => {
    const s = await start({ rateMessagesPerSec: 30, rateFramesPerSec: 60 });
    const [alice, bob, mallory, trudy, dummy] = [await s.user(), await s.user(), await s.user(), await s.user(), await s.user()];
    const a = await alice.connect();
    const b = await bob.connect();
    await syncAll(b);
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const m = await rawClient(s, { token: mallory.tokens.accessToken });
    const t = await rawClient(s, { token: trudy.tokens.accessToken });
    await m.next((f) => f['type'] === 'ready');
    await t.next((f) => f['type'] === 'ready');
    m.ws.send(JSON.stringify({ type: 'conversation.openDirect', id: 'own', userId: dummy.user.id }));
    const own = ((await m.next((f) => f['id'] === 'own'))['data'] as { conversation: { id: string } }).conversation.id;

    const bobGot = collect(b, 'message.new');
    // Alice talks steadily, well under her limit, before, during and after the floods.
    const steady = (async () => {
      const latencies: number[] = [];
      for (let i = 0; i < 30; i++) {
        const started = performance.now();
        await a.send(conversation.id, `steady ${i}`);
        latencies.push(performance.now() - started);
        await sleep(40); // pacing, not waiting for anything: steady talk spread over the floods
      }
      return latencies;
    })();
    // The floods start once Alice is demonstrably talking, however slow the machine.
    const steadyHeard = () => bobGot.filter((e) => e.message.kind === 'text' && e.message.body.startsWith('steady')).length;
    await waitUntil(() => steadyHeard() >= 5, { message: 'Bob to hear five of Alice’s steady messages' });
    // Mallory: 2,000 messages (her per-user message budget); Trudy: 2,000 cheap requests (her socket's frame budget).
    for (let i = 0; i < 2000; i++) {
      m.ws.send(JSON.stringify({ type: 'message.send', id: `m${i}`, conversationId: own, clientId: uuidv7(), body: `flood ${i}` }));
      t.ws.send(JSON.stringify({ type: 'conversation.list', id: `t${i}` }));
    }
    const [mClosed, tClosed] = await Promise.all([closeCode(m, 10_000), closeCode(t, 10_000)]);
    const latencies = await steady;

    // Accepted requests may lose their answer to the close (the flood outruns them); the
    // rate_limited errors are written before it, so they tell where the budget ran out.
    for (const [client, closed, budget] of [
      [m, mClosed, 60],
      [t, tClosed, 120],
    ] as const) {
      expect(closed).toBe(CLOSE.policyViolation);
      const limited = client.inbox.filter((f) => f['type'] === 'error');
      expect(limited.length).toBeGreaterThan(0);
      expect(limited.length).toBeLessThanOrEqual(51); // closed on the 51st rejection, long before the 2,000th frame
      for (const e of limited) {
        expect(e).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
        expect(e['retryAfterMs']).toBeGreaterThan(0);
        expect(e['retryAfterMs']).toBeLessThanOrEqual(1000);
      }
      const firstLimited = Number(String(limited[0]!['id']).slice(1));
      expect(firstLimited).toBeGreaterThanOrEqual(budget - 5); // the burst went through
      expect(firstLimited).toBeLessThan(budget + 30); // then the rate held
    }
    const stored = (await a.request('conversation.list', {})).conversations.length; // Alice is untouched
    expect(stored).toBe(1);

    expect(latencies).toHaveLength(30);
    expect(Math.max(...latencies)).toBeLessThan(500);
    await barrier(b); // all of Alice's sends were answered, so Bob has every one of them
    const steadyAtBob = bobGot.map((e) => (e.message.kind === 'text' ? e.message.body : '')).filter((body) => body.startsWith('steady'));
    expect(steadyAtBob).toEqual(Array.from({ length: 30 }, (_, i) => `steady ${i}`));

    const metrics = await (await fetch(s.metricsUrl)).text();
    expect(metrics).toMatch(/^courier_closes_total\{code="1008"\} 2$/m);
    expect(metrics).toMatch(/^courier_frames_rejected_total\{code="rate_limited"\} \d+$/m);
    // The flooder may come back after the close and is served again; what was stored of her
    // flood is her burst, not the 2,000.
    const back = await mallory.connect();
    const flooded = (await back.history(own, undefined, 100)).messages.filter((x) => x.kind === 'text');
    expect(flooded.length).toBeGreaterThanOrEqual(55);
    expect(flooded.length).toBeLessThan(90);
    await back.close();
  });
  it('does not hand a fresh message budget to a user who reconnects', async () => {
    const s = await start({ rateMessagesPerSec: 30, rateFramesPerSec: 60 });
    const [mallory, dummy] = [await s.user(), await s.user()];
    const setup = await mallory.connect();
    const own = (await setup.request('conversation.openDirect', { userId: dummy.user.id })).conversation.id;
    await setup.close();
    const started = Date.now();
    for (let round = 0; round < 4; round++) {
      // Spend the budget, hang up (every socket of hers), dial again.
      const c = await rawClient(s, { token: mallory.tokens.accessToken });
      await c.next((f) => f['type'] === 'ready');
      for (let i = 0; i < 70; i++) {
        c.ws.send(JSON.stringify({ type: 'message.send', id: `r${round}m${i}`, conversationId: own, clientId: uuidv7(), body: `burst ${round}.${i}` }));
      }
      c.ws.send(JSON.stringify({ type: 'conversation.list', id: 'end' }));
      await Promise.race([c.next((f) => f['id'] === 'end'), c.closed]);
      c.ws.close();
      await c.closed;
    }
    const seconds = (Date.now() - started) / 1000;
    const check = await mallory.connect();
    const stored = (await check.request('conversation.get', { conversationId: own })).conversation.lastSeq - 1; // minus "created"
    // One burst (60) plus what 30/s refilled meanwhile; four fresh bursts would be 240.
    expect(stored).toBeGreaterThanOrEqual(60);
    expect(stored).toBeLessThanOrEqual(60 + Math.ceil(30 * seconds) + 5);
    await check.close();
  });
});
