import { describe, expect, it } from 'vitest';
import { CLOSE, CLOSE_REASONS } from '../../src/shared/protocol';
import { FlowSocket, metricValue, seedHistory } from '../helpers/flow-client';
import { collect, serverPerTest, sleep, syncAll } from '../helpers/server';

const start = serverPerTest();

/** Alice and Bob share a direct chat holding `entries` text entries after its "created" one. */
async function history(server: Awaited<ReturnType<typeof start>>, entries: number, bodyChars: number) {
  const alice = await server.user();
  const bob = await server.user();
  const a = await alice.connect();
  const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
  await seedHistory(server, alice.user.id, conversation.id, entries, bodyChars);
  return { alice, bob, a, conversation };
}

/** Every entry once, in order: seqs 1..last. */
function expectGapless(seqs: number[], last: number): void {
  expect(seqs.length).toBe(last);
  expect(seqs.every((s, i) => s === i + 1)).toBe(true);
}

describe('catch-up flow control', () => {
  it('a fresh device that syncs 10,000 entries at full speed finishes without being closed', async () => {
    const server = await start();
    const { bob } = await history(server, 10_000, 1500); // ~17 MB of sync.batch
    const b = await FlowSocket.open(server, bob.tokens.accessToken);
    const { answer, seqs, batches } = await b.sync();
    expect(answer).toMatchObject({ type: 'result', data: { conversations: 1, messages: 10_001 } });
    expectGapless(seqs, 10_001);
    expect(batches).toBeGreaterThan(100);
    // The old server closed it (4500) right behind the result: a round trip proves it did not.
    await expect(b.request('conversation.list')).resolves.toMatchObject({ type: 'result' });
    expect(b.isOpen).toBe(true);
    expect(await metricValue(server, 'courier_closes_total{code="4500"}')).toBe(0);
    b.ws.close();
  }, 60_000);

  it('a fresh device that pauses while reading 10,000 entries finishes without being closed', async () => {
    const server = await start();
    const { bob } = await history(server, 10_000, 1000); // ~12 MB, ~190 batches
    const b = await FlowSocket.open(server, bob.tokens.accessToken);
    // A device that stops to store its batches: 300 ms after every tenth.
    const { answer, seqs } = await b.sync((_batch, i) => (i % 10 === 9 ? sleep(300) : undefined));
    expect(answer).toMatchObject({ type: 'result', data: { messages: 10_001 } });
    expectGapless(seqs, 10_001);
    await expect(b.request('conversation.list')).resolves.toMatchObject({ type: 'result' });
    expect(b.isOpen).toBe(true);
    b.ws.close();
  }, 60_000);

  it('a device that stops reading for a while in mid-sync is paused, not dropped, even with a small send buffer', async () => {
    const server = await start({ maxBufferedBytes: 128 * 1024 });
    const { bob } = await history(server, 4000, 1000); // ~5 MB: far more than the loopback buffers and the bound
    const b = await FlowSocket.open(server, bob.tokens.accessToken);
    const { answer, seqs } = await b.sync((_batch, i) => (i === 2 ? sleep(1500) : undefined));
    expect(answer).toMatchObject({ type: 'result', data: { messages: 4001 } });
    expectGapless(seqs, 4001);
    await expect(b.request('conversation.list')).resolves.toMatchObject({ type: 'result' });
    b.ws.close();
  }, 60_000);

  it('releases the events held during a stalled catch-up once each, after the result, paced like the catch-up', async () => {
    const server = await start({ maxBufferedBytes: 64 * 1024, rateFramesPerSec: 100_000 });
    const { bob, conversation } = await history(server, 3000, 1000);
    const b = await FlowSocket.open(server, bob.tokens.accessToken);
    const receipts: number[] = [];
    let caughtUp = false;
    let beforeResult = 0;
    b.on((f) => {
      if (f['type'] === 'result') caughtUp = true;
      if (f['type'] !== 'receipt.updated') return;
      receipts.push((f['receipt'] as { readSeq: number }).readSeq);
      if (!caughtUp) beforeResult++;
    });
    let resume!: () => void;
    const stalled = new Promise<void>((r) => (resume = r));
    const syncing = b.sync((_batch, i) => (i === 0 ? stalled : undefined));
    // While Bob's catch-up waits for him, his phone reads up to 1,500 one entry at a time:
    // receipt.updated frames held for this socket (~250 KB: four times its send buffer).
    // His tablet, live all along, hears the same ones as they happen.
    const tablet = await bob.connect();
    await syncAll(tablet);
    const heard = collect(tablet, 'receipt.updated');
    const phone = await bob.connect();
    for (let seq = 1; seq <= 1500; seq += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => phone.request('receipt.mark', { conversationId: conversation.id, kind: 'read', seq: seq + i })));
    }
    await tablet.request('conversation.list', {}); // a round trip: the tablet has heard every receipt before it
    expect(heard.length).toBeGreaterThan(100);
    resume();
    const { answer, seqs } = await syncing;
    expect(answer).toMatchObject({ type: 'result', data: { messages: 3001 } });
    expectGapless(seqs, 3001);
    await expect(b.request('conversation.list')).resolves.toMatchObject({ type: 'result' }); // behind every released event
    expect(beforeResult).toBe(0);
    expect(receipts).toEqual(heard.map((e) => e.receipt.readSeq));
    expect(b.isOpen).toBe(true);
    b.ws.close();
  }, 60_000);

  it('closes with 4501 when more than 5000 events pile up while a slow reader catches up', async () => {
    const server = await start({ rateMessagesPerSec: 100_000, rateFramesPerSec: 100_000 });
    const { a, bob, conversation } = await history(server, 8000, 1000); // ~10 MB: the catch-up outlasts the loopback buffers
    const b = await FlowSocket.open(server, bob.tokens.accessToken);
    let resume!: () => void;
    const stalled = new Promise<void>((r) => (resume = r));
    let pace: 'slow' | 'fast' = 'slow';
    const syncing = b.sync((_batch, i) => (i === 0 ? stalled : pace === 'slow' ? sleep(50) : undefined)).catch((e: unknown) => e);
    // Bob reads nothing meanwhile: 5,000 live entries are held for him, as many as may be.
    for (let i = 0; i < 5000; i += 500) await Promise.all(Array.from({ length: 500 }, (_, j) => a.send(conversation.id, `live ${i + j}`)));
    // He reads on, slowly (megabytes of catch-up still ahead), when one more arrives.
    resume();
    await a.send(conversation.id, 'one too many');
    pace = 'fast'; // and reads on through what was already on its way, to the close frame
    expect(await b.closed).toEqual({ code: CLOSE.syncOverflow, reason: CLOSE_REASONS.syncOverflow });
    expect(await syncing).toMatchObject({ code: CLOSE.syncOverflow });
    expect(await metricValue(server, 'courier_closes_total{code="4501"}')).toBe(1);
  }, 60_000);
});

describe('heartbeat behind catch-up data', () => {
  it('keeps a slow reader whose pongs queue behind the data it is still reading', async () => {
    const server = await start({ heartbeatMs: 1000 });
    const { bob, conversation } = await history(server, 6000, 1000);
    const b = await FlowSocket.open(server, bob.tokens.accessToken);
    // Seconds of catch-up at this pace, a sweep every second, each ping written behind
    // megabytes of batches: its pong comes back long after the next sweep. The device marks
    // each batch delivered, as §8 suggests.
    const { answer, seqs } = await b.sync((batch, i) => {
      const last = (batch['messages'] as Array<{ seq: number }>).at(-1);
      if (last) b.ws.send(JSON.stringify({ type: 'receipt.mark', conversationId: conversation.id, kind: 'delivered', seq: last.seq }));
      return i % 4 === 3 ? sleep(200) : undefined;
    });
    expect(answer).toMatchObject({ type: 'result', data: { messages: 6001 } });
    expectGapless(seqs, 6001);
    expect(b.isOpen).toBe(true);
    b.ws.close();
  }, 60_000);
});
