import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface TcpProxyOptions {
  targetPort: number;
  targetHost?: string;
}

export interface TcpProxy {
  /** The loopback port to connect to instead of the target. */
  port: number;
  /**
   * On: every connection, open or new, stays open but nothing crosses in either direction
   * (a network gone silent: Wi-Fi dropped, half-open TCP after sleep). Off: flow resumes.
   */
  blackhole(on: boolean): void;
  /** Ends every connection with a TCP RST on both sides (a NAT or middlebox restart). */
  resetAll(): void;
  /** Connections currently open through the proxy. */
  connections(): number;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

/**
 * A TCP proxy on 127.0.0.1 for fault-injection tests: put it between a client and a
 * server and make the network misbehave on cue.
 *
 * ┌───────────────────────────────────────────────────────────────────────────────────┐
 * │ A blackhole PAUSES reading instead of dropping bytes. TCP never loses bytes on a  │
 * │ connection that survives: a real outage shows up as silence and a sender whose    │
 * │ writes back up, and what was sent arrives once the path is back (retransmission). │
 * │ Dropping would hand the peer a corrupt stream no real network produces. To model  │
 * │ a connection that did not survive, follow the blackhole with resetAll().          │
 * └───────────────────────────────────────────────────────────────────────────────────┘
 */
export async function startTcpProxy(o: TcpProxyOptions): Promise<TcpProxy> {
  const targetHost = o.targetHost ?? '127.0.0.1';
  const pairs = new Set<Pair>();
  /** Sockets that stopped reading because the other side's write buffer is full. */
  const awaitingDrain = new Set<Socket>();
  /** Ends and closes seen during a blackhole: the other side must not hear of them until it ends. */
  let deferred: Array<() => void> = [];
  let holed = false;

  const gate = (s: Socket) => {
    if (holed || awaitingDrain.has(s)) s.pause();
    else s.resume();
  };

  const whenOpen = (pass: () => void) => {
    if (holed) deferred.push(pass);
    else pass();
  };

  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (to.write(chunk)) return;
      awaitingDrain.add(from);
      from.pause();
      to.once('drain', () => {
        awaitingDrain.delete(from);
        gate(from);
      });
    });
    // A paused socket still reads up to its buffer size, so it notices a FIN or RST and
    // emits end/close even in a blackhole: hold those back as the silent network would.
    from.on('end', () => whenOpen(() => to.end()));
    from.on('close', (hadError) => {
      awaitingDrain.delete(from);
      whenOpen(() => (hadError ? to.resetAndDestroy() : to.end()));
    });
    // Errors arrive as close(hadError); without a listener they would crash the test run.
    from.on('error', () => {});
  };

  const server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ port: o.targetPort, host: targetHost, allowHalfOpen: true });
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    let open = 2;
    const closed = () => {
      if (--open === 0) pairs.delete(pair);
    };
    client.once('close', closed);
    upstream.once('close', closed);
    forward(client, upstream);
    forward(upstream, client);
    gate(client);
    gate(upstream);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  const eachSocket = (fn: (s: Socket) => void) => {
    for (const { client, upstream } of pairs) {
      fn(client);
      fn(upstream);
    }
  };

  return {
    port: (server.address() as AddressInfo).port,
    blackhole(on) {
      holed = on;
      eachSocket(gate);
      if (on) return;
      const pending = deferred;
      deferred = [];
      for (const pass of pending) pass();
    },
    resetAll() {
      deferred = [];
      eachSocket((s) => {
        if (!s.destroyed) s.resetAndDestroy();
      });
    },
    connections: () => pairs.size,
    close() {
      deferred = [];
      eachSocket((s) => s.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
