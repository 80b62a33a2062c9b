import type { WebSocket, WebSocketServer } from 'ws';

/**
 * The bare relay's whole behaviour, shared by bare-relay.ts and memory-breakdown.ts: a
 * socket names itself and its peer in the query (?id=a&peer=b); each frame is echoed to
 * the sender (its "ack") and forwarded to the peer. No auth, no storage. Returns the open
 * sockets by id, for shutdown.
 */
export function relayPairs(wss: WebSocketServer): ReadonlyMap<string, WebSocket> {
  const sockets = new Map<string, WebSocket>();
  wss.on('connection', (ws, req) => {
    const query = new URL(req.url ?? '/', 'http://relay').searchParams;
    const id = query.get('id') ?? '';
    const peer = query.get('peer') ?? '';
    sockets.set(id, ws);
    ws.on('message', (data, isBinary) => {
      ws.send(data, { binary: isBinary });
      sockets.get(peer)?.send(data, { binary: isBinary });
    });
    ws.on('close', () => sockets.delete(id));
    ws.on('error', () => ws.terminate());
  });
  return sockets;
}
