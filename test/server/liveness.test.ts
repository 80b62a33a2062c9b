import type { IncomingMessage } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { CLOSE, PROTOCOL } from '../../src/shared/protocol';
import { serverPerTest, syncAll, waitUntil } from '../helpers/server';

const start = serverPerTest();

function rawSocket(url: string, token: string, o: { autoPong?: boolean } = {}): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, [PROTOCOL], { headers: { authorization: `Bearer ${token}` }, ...o });
  return new Promise((resolve, reject) => {
    ws.once('message', () => resolve(ws)); // `ready`
    ws.once('error', reject);
  });
}

/** Resolves when the `result` answering request `id` arrives on a raw ws. */
function resultOf(ws: WebSocket, id: string, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off('message', onMessage);
      reject(new Error(`no result for ${id} within ${ms} ms`));
    }, ms);
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as { type?: string; id?: string };
      if (frame.type !== 'result' || frame.id !== id) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve();
    };
    ws.on('message', onMessage);
  });
}

describe('liveness and backpressure', () => {
  it('terminates a peer that stops answering pings, and keeps one that answers', async () => {
    const server = await start({ heartbeatMs: 1000 });
    const alice = await server.user();
    const deaf = await rawSocket(server.url, alice.tokens.accessToken, { autoPong: false });
    const healthy = await rawSocket(server.url, alice.tokens.accessToken);
    let pings = 0;
    deaf.on('ping', () => pings++);
    const closed = new Promise<number>((resolve) => deaf.once('close', (code) => resolve(code)));
    const code = await closed;
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(code).toBe(1006); // terminated: no close handshake for a dead peer
    expect(healthy.readyState).toBe(WebSocket.OPEN);
    healthy.close();
  });

  it('drops a slow consumer once its unsent bytes pass the bound, and others are unaffected', async () => {
    const server = await start({ maxBufferedBytes: 64 * 1024 });
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const a = await alice.connect();
    const c = await carol.connect();
    await syncAll(c);
    const { conversation } = await a.request('conversation.openDirect', { userId: bob.user.id });
    const { conversation: withCarol } = await a.request('conversation.openDirect', { userId: carol.user.id });

    const slow = await rawSocket(server.url, bob.tokens.accessToken);
    // Caught up (live) before it stops reading, so the sends below are pushed to it.
    const caughtUp = resultOf(slow, 's');
    slow.send(JSON.stringify({ type: 'sync', id: 's', watermarks: [] }));
    await caughtUp;
    // Stop reading: the kernel buffers fill, then the server's buffer grows.
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise<number>((resolve) => slow.once('close', (code) => resolve(code)));
    const body = 'x'.repeat(16 * 1024);
    const before = server.connectionCount();
    // Enough to fill the loopback socket buffers (several MiB) and then the server's bound.
    for (let i = 0; i < 1800 && server.connectionCount() === before; i += 50) {
      await Promise.all(Array.from({ length: 50 }, () => a.send(conversation.id, body)));
    }
    await waitUntil(() => server.connectionCount() !== before, { message: 'the server to drop the slow consumer' });
    expect(server.connectionCount()).toBe(before - 1); // the server let go of it
    await expect(a.send(withCarol.id, 'still flowing')).resolves.toMatchObject({ seq: 2 });
    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    // 4500 if the close frame got through before the cut-off, otherwise an abrupt 1006.
    expect([CLOSE.slowConsumer, 1006]).toContain(await closed);
  }, 30_000);
});

describe('per-connection memory', () => {
  it('does not keep the HTTP upgrade request (and its Authorization header) alive', async () => {
    // Reach V8's collector from inside the test process.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const server = await start();
    const alice = await server.user();
    const requests: Array<WeakRef<IncomingMessage>> = [];
    server.httpServer.prependListener('upgrade', (req: IncomingMessage) => requests.push(new WeakRef(req)));
    const sockets = await Promise.all(Array.from({ length: 5 }, () => alice.connect()));
    // deref() keeps a target alive until the current job ends; waitUntil checks each time in
    // a job of its own, collecting first, until nothing is left (or the requests leak).
    await waitUntil(
      () => {
        gc();
        return requests.every((r) => r.deref() === undefined);
      },
      { message: 'the upgrade requests to be collected' },
    );
    expect(requests).toHaveLength(5);
    expect(requests.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    expect(sockets.every((s) => s.isOpen)).toBe(true);
  });
});
