/**
 * The baseline for `npm run bench:server`: the least a WebSocket relay can do. No auth, no
 * validation, no storage. A socket connects as ws://host:port/?id=<me>&peer=<other>; every
 * frame it sends is forwarded to <other> (the "delivery") and echoed back to the sender
 * (the "ack"), so it writes two frames per message, as Courier does (result + message.new).
 * Plain ws.send per frame, no corking, default ws options except permessage-deflate off.
 *
 * Run as its own child process: `node --import tsx bench/server/bare-relay.ts`. Prints
 * "listening <port>" once ready; exits on SIGINT/SIGTERM or when its parent disappears.
 * GET /stats answers the event-loop delay since the previous GET (for the step table).
 */
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import './orphan-guard';
import { relayPairs } from './relay';

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const http = createServer((_req, res) => {
  res.end(JSON.stringify({ loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6 }));
  loop.reset();
});
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, clientTracking: false });

const sockets = relayPairs(wss);

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : address}\n`);
});

const stop = () => {
  for (const ws of sockets.values()) ws.terminate();
  http.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
