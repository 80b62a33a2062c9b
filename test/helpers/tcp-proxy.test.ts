import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { quietPeriod, waitUntil } from './wait';

let echo: Server;
let echoSockets: Set<Socket>;
let proxy: TcpProxy;
const clients: Socket[] = [];

beforeEach(async () => {
  echoSockets = new Set();
  echo = createServer((s) => {
    echoSockets.add(s);
    s.on('close', () => echoSockets.delete(s));
    s.on('error', () => {});
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  proxy = await startTcpProxy({ targetPort: (echo.address() as AddressInfo).port });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await proxy.close();
  for (const s of echoSockets) s.destroy();
  await new Promise((r) => echo.close(r));
});

/** A client through the proxy that records what it receives and how it ended. */
async function client() {
  const socket = connect({ port: proxy.port, host: '127.0.0.1' });
  clients.push(socket);
  const seen = { data: '', error: null as NodeJS.ErrnoException | null, closed: false };
  socket.on('data', (b: Buffer) => (seen.data += b.toString()));
  socket.on('error', (e) => (seen.error = e));
  socket.on('close', () => (seen.closed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, seen };
}

function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  return waitUntil(check, { timeoutMs: ms, message: what, intervalMs: 5 });
}

describe('startTcpProxy', () => {
  it('forwards bytes both ways, large payloads intact', async () => {
    const { socket, seen } = await client();
    socket.write('hello');
    await until(() => seen.data === 'hello', 'the echo');
    expect(proxy.connections()).toBe(1);

    const big = randomBytes(4 * 1024 * 1024).toString('base64'); // enough to hit backpressure
    const chunks: Buffer[] = [];
    const { socket: bulk } = await client();
    bulk.on('data', (b: Buffer) => chunks.push(b));
    bulk.write(big);
    await until(() => chunks.reduce((n, c) => n + c.length, 0) >= big.length, 'the big echo', 10_000);
    expect(Buffer.concat(chunks).toString()).toBe(big);
  });

  it('in a blackhole keeps sockets open but passes nothing, then resumes', async () => {
    const { socket, seen } = await client();
    socket.write('a');
    await until(() => seen.data === 'a', 'the first echo');

    proxy.blackhole(true);
    socket.write('b');
    const late = await client(); // accepted, but just as silent
    late.socket.write('c');
    // Nothing must come through while the hole is on. Bytes held back announce nothing, so
    // there is no event to wait on: give them time they would not need to arrive.
    await quietPeriod(200);
    expect(seen.data).toBe('a');
    expect(late.seen.data).toBe('');
    expect(seen.closed || late.seen.closed).toBe(false);
    expect(proxy.connections()).toBe(2);
    await until(() => echoSockets.size === 2, 'the upstream connection of the late client');

    proxy.blackhole(false);
    socket.write('d');
    late.socket.write('e');
    // What was sent into the outage arrives afterwards, as TCP retransmission would deliver it.
    await until(() => seen.data === 'abd' && late.seen.data === 'ce', 'the echoes after the blackhole');
  });

  it('holds back a server close during a blackhole until it ends', async () => {
    const { seen } = await client();
    await until(() => echoSockets.size === 1, 'the upstream connection');
    proxy.blackhole(true);
    for (const s of echoSockets) s.destroy();
    await quietPeriod(200); // the close must stay held back; as above, there is no event for "not passed on"
    expect(seen.closed).toBe(false);
    proxy.blackhole(false);
    await until(() => seen.closed, 'the client to see the close');
  });

  it('resetAll() gives the client ECONNRESET and drops the upstream connection', async () => {
    const { socket, seen } = await client();
    socket.write('x');
    await until(() => seen.data === 'x', 'the echo');
    proxy.resetAll();
    await until(() => seen.closed, 'the client to close');
    expect(seen.error?.code).toBe('ECONNRESET');
    await until(() => echoSockets.size === 0 && proxy.connections() === 0, 'the upstream side to close');
  });

  it('resets clients when the target is down, and refuses connections after close()', async () => {
    const down = createServer();
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    const port = (down.address() as AddressInfo).port;
    await new Promise((r) => down.close(r));
    const nowhere = await startTcpProxy({ targetPort: port });
    const socket = connect({ port: nowhere.port, host: '127.0.0.1' });
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => socket.once('error', resolve));
    expect(error.code).toBe('ECONNRESET');
    await nowhere.close();

    const { seen } = await client();
    await proxy.close();
    await until(() => seen.closed, 'the client to close');
    const refused = connect({ port: proxy.port, host: '127.0.0.1' });
    await expect(new Promise((_, reject) => refused.once('error', reject))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
