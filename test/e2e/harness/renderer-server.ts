import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { DesktopCore } from '../../../src/client/app/desktop-core';
import type { IpcMethodName, IpcResult } from '../../../src/shared/ipc';
import { BRIDGE_PATH, BRIDGE_SCRIPT_PATH, CLOSE_BAD_FRAME, parsePageFrame, type NodeFrame } from './bridge-protocol';
import { CSP_META, directiveSources, extendPolicy } from '../../../src/shared/csp';

/**
 * One simulated user's renderer: the built app on its own origin (so its own localStorage)
 * and, on the same port, the WebSocket that stands in for Electron IPC. The page's calls go
 * to `core.dispatch`, the same handler table main registers; its events come from
 * `core.subscribe`, as main forwards them to the window.
 */
export interface RendererServerOptions {
  core: Pick<DesktopCore, 'dispatch' | 'subscribe'>;
  /** A folder from buildRenderer(): index.html and assets/. */
  rendererDir: string;
  /** From bridgeScript(). */
  bridgeScript: string;
}

export interface RendererServer {
  /** http://127.0.0.1:<port>/ — the app's page. */
  url: string;
  port: number;
  /** Drops every page's bridge socket, as if main went away; the pages stay open. */
  disconnectPages(): void;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};


export async function startRendererServer(o: RendererServerOptions): Promise<RendererServer> {
  const root = resolve(o.rendererDir);
  const sourceHtml = await readFile(join(root, 'index.html'), 'utf8');
  let indexHtml = '';

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `harness: ${String(error)}`);
      else res.destroy();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
    const path = requestPath(req);
    if (path === null) return send(res, 400, 'text/plain; charset=utf-8', 'bad path');
    if (path === '/' || path === '/index.html') return send(res, 200, CONTENT_TYPES['.html']!, indexHtml);
    if (path === BRIDGE_SCRIPT_PATH) return send(res, 200, CONTENT_TYPES['.js']!, o.bridgeScript);
    const file = resolve(root, `.${path}`);
    if (!file.startsWith(root + sep)) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const missing = code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
      // Chromium asks every http origin for /favicon.ico on its own; the app's file:// page
      // in Electron never does, so its 404 would be a console error of the harness's making.
      if (missing && path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
      if (missing) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
      throw error;
    }
    send(res, 200, CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', body);
  }

  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  let allowedOrigins: ReadonlySet<string> = new Set();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The stand-in for main's sender-frame check: only this server's own page may drive the core.
    if (requestPath(req) !== BRIDGE_PATH || !allowedOrigins.has(req.headers.origin ?? '')) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  function connect(ws: WebSocket): void {
    sockets.add(ws);
    // core.subscribe replays the latest state events synchronously. Main subscribes once,
    // before its window exists, so a real window never receives that replay: drop it here
    // too, or a page that forgot to call session.get would pass only in the harness.
    let replaying = true;
    const unsubscribe = o.core.subscribe((event, payload) => {
      if (!replaying) frame(ws, { t: 'event', event, payload });
    });
    replaying = false;
    ws.on('message', (data, isBinary) => {
      const call = isBinary ? null : parsePageFrame(String(data));
      if (call === null) return ws.close(CLOSE_BAD_FRAME, 'bad frame');
      // dispatch validates the name and the params itself, as it does behind ipcMain.
      void o.core
        .dispatch(call.method as IpcMethodName, call.params)
        .catch((error: unknown): IpcResult<never> => {
          console.error(`harness: ${call.method} threw instead of answering an envelope:`, error);
          return { ok: false, error: { code: 'internal', message: 'Something went wrong inside Courier.' } };
        })
        .then((result) => frame(ws, { t: 'result', id: call.id, result }));
    });
    ws.on('error', () => {}); // 'close' follows
    ws.on('close', () => {
      unsubscribe();
      sockets.delete(ws);
    });
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  indexHtml = rewriteIndexHtml(sourceHtml, port);

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    disconnectPages() {
      for (const ws of sockets) ws.close(1001, 'harness disconnect');
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolveClose) => wss.close(() => resolveClose()));
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * index.html as the harness serves it. Two changes, nothing else: the bridge script goes
 * in before the app's first script, as a classic script so `window.courier` exists when
 * the app runs; and connect-src gains the bridge socket. Without a connect-src the shipped
 * policy falls back to default-src for connections, so the new directive starts from
 * default-src's sources: the page may connect exactly where it could before, plus the bridge.
 */
function rewriteIndexHtml(html: string, port: number): string {
  const meta = CSP_META.exec(html);
  if (meta === null) throw new Error('src/renderer/index.html must declare its Content-Security-Policy in a <meta> tag');
  const withPolicy = html.replace(CSP_META, (_m, open: string, policy: string, close: string) => `${open}${addBridgeSource(policy, `ws://127.0.0.1:${port}`)}${close}`);
  const afterMeta = withPolicy.indexOf('>', meta.index) + 1;
  const headEnd = withPolicy.search(/<\/head>/i);
  if (headEnd < 0) throw new Error('src/renderer/index.html has no </head>');
  const firstScript = withPolicy.slice(afterMeta, headEnd).search(/<script\b/i);
  const at = firstScript < 0 ? headEnd : afterMeta + firstScript;
  return `${withPolicy.slice(0, at)}<script src="${BRIDGE_SCRIPT_PATH}"></script>\n    ${withPolicy.slice(at)}`;
}

/** The policy with `source` added to connect-src (created from default-src's sources if absent). */
function addBridgeSource(policy: string, source: string): string {
  const base = directiveSources(policy, 'connect-src') ?? directiveSources(policy, 'default-src') ?? [];
  return extendPolicy(policy, { 'connect-src': [...base.filter((s) => s !== "'none'"), source] });
}

function requestPath(req: IncomingMessage): string | null {
  try {
    return decodeURIComponent(new URL(req.url ?? '/', 'http://harness.invalid').pathname);
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function frame(ws: WebSocket, value: NodeFrame): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(value));
}
