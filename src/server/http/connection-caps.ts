import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { clientKey } from './addresses';

export interface ConnectionCapsOptions {
  /** HTTP connections at once, from everyone. */
  maxConnections: number;
  /** HTTP connections at once from one client key (an IPv4 address or an IPv6 /64). */
  maxPerClient: number;
  /** Trusted reverse proxies carry many clients on their sockets: only the global cap applies to them. */
  isTrustedProxy: (address: string) => boolean;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
}

/** A refusal is logged at most this often (with the count since), so a flood cannot flood the log. */
const LOG_EVERY_MS = 10_000;

/**
 * ------------------------------------------------------------------------------------
 * Caps on concurrent HTTP connections, per client and in total.
 *
 * A socket counts from the moment it is accepted (before its TLS handshake or its first
 * byte: a slowloris never gets further) until it closes — or until Node hands it to the
 * 'upgrade' listeners. An upgraded socket belongs to the WebSocket gateway, which has its
 * own caps (--max-connections, unauthenticated sockets per address, sockets per account);
 * counting it here too would let 256 open chat tabs behind one NAT lock that NAT out of
 * the REST API. An upgrade request counts while its headers are read, like any request.
 *
 * Over a cap the socket is destroyed at once: no response, no parsing, no TLS.
 * Counting is by the socket's own address, never X-Forwarded-For (which is not even
 * read yet at accept time).
 * ------------------------------------------------------------------------------------
 */
export class ConnectionCaps {
  private total = 0;
  private readonly perClient = new Map<string, number>();
  /**
   * Counted sockets by "address|port". A TLS upgrade hands the listeners a TLSSocket that
   * wraps the raw socket counted at accept; both report the same peer.
   */
  private readonly counted = new Map<string, { client: string; socket: Socket }>();
  private refusedSinceLog = 0;
  private lastLogAt = -Infinity;

  constructor(private readonly o: ConnectionCapsOptions) {}

  get openConnections(): number {
    return this.total;
  }

  attach(server: Server): void {
    // First in line, so a refused socket is gone before the HTTP (or TLS) machinery sets up.
    server.prependListener('connection', (socket: Socket) => this.accept(socket));
    server.prependListener('upgrade', (_req, socket: Duplex) => this.release(peerOf(socket as Socket)));
  }

  private accept(socket: Socket): void {
    const peer = peerOf(socket);
    if (peer === null || socket.remoteAddress === undefined) return void socket.destroy();
    const client = clientKey(socket.remoteAddress);
    const fromClient = this.perClient.get(client) ?? 0;
    const over =
      this.total >= this.o.maxConnections ? 'global' : fromClient >= this.o.maxPerClient && !this.o.isTrustedProxy(socket.remoteAddress) ? 'per_ip' : null;
    if (over) {
      socket.destroy();
      this.refused(over, client);
      return;
    }
    this.release(peer); // a peer is unique while its socket lives; this only guards the books
    this.total++;
    this.perClient.set(client, fromClient + 1);
    this.counted.set(peer, { client, socket });
    this.o.metrics.httpConnections.set(this.total);
    socket.once('close', () => this.release(peer, socket));
  }

  /** Stops counting the socket of `peer` (only if it is `socket`, when given). */
  private release(peer: string | null, socket?: Socket): void {
    const entry = peer === null ? undefined : this.counted.get(peer);
    if (entry === undefined || (socket !== undefined && entry.socket !== socket)) return;
    const { client } = entry;
    this.counted.delete(peer!);
    this.total--;
    const left = (this.perClient.get(client) ?? 1) - 1;
    if (left > 0) this.perClient.set(client, left);
    else this.perClient.delete(client);
    this.o.metrics.httpConnections.set(this.total);
  }

  private refused(limit: 'global' | 'per_ip', client: string): void {
    this.o.metrics.httpConnectionsRefused.inc({ limit });
    this.refusedSinceLog++;
    const now = this.o.now();
    if (now - this.lastLogAt < LOG_EVERY_MS) return;
    this.o.logger.warn(
      { limit, client, refused: this.refusedSinceLog, max: limit === 'global' ? this.o.maxConnections : this.o.maxPerClient },
      'HTTP connections refused: over the cap',
    );
    this.lastLogAt = now;
    this.refusedSinceLog = 0;
  }
}

function peerOf(socket: Socket): string | null {
  const { remoteAddress, remotePort } = socket;
  return remoteAddress === undefined || remotePort === undefined ? null : `${remoteAddress}|${remotePort}`;
}
