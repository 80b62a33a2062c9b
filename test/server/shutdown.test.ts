import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CourierHttp, CourierSocket } from '../../src/client';
import { CLOSE, type AuthResponse } from '../../src/shared/protocol';
import { uuidv7 } from '../../src/shared/uuid-v7';
import { loadConfig } from '../../src/server/config';
import { createLogger } from '../../src/server/logger';
import { startServer } from '../../src/server/server';
import { killAllChildServers, runServerCli, startChildServer } from '../helpers/child-server';
import { startTestServer } from '../helpers/server';
import { SendLoad, readDatabase, type Stream } from '../helpers/send-load';
import { waitUntil } from '../helpers/wait';

/**
 * Operations contract of `npm run server` (src/server/main.ts), checked on the real
 * process: SIGTERM and SIGINT stop it gracefully under load (exit 0, every socket told
 * 1001 "going away", every acked message on disk), a bad flag stops it at once with
 * exit 2 and a message naming the flag, and the first run creates its data folder.
 */
const FLAGS = ['--rate-messages', '100000', '--rate-frames', '100000'];
/** How long a graceful stop may take under load before it counts as hanging. */
const STOP_DEADLINE_MS = 8000;

const root = mkdtempSync(join(tmpdir(), 'courier-shutdown-'));
let dirs = 0;
const freshDir = () => join(root, `run${++dirs}`, 'data');

afterEach(async () => {
  await killAllChildServers();
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe.each(['SIGTERM', 'SIGINT'] as const)('graceful stop on %s', (signal) => {
  it('under load: exits 0, every socket gets 1001, every acked message is stored', { timeout: 30_000 }, async () => {
    const dataDir = freshDir();
    const server = await startChildServer({ dataDir, args: FLAGS });
    const http = new CourierHttp(server.url);
    const users: AuthResponse[] = [];
    for (let i = 0; i < 3; i++) users.push(await http.register({ username: `stop${i}`, password: 'correct horse battery' }));
    // Per user: one busy socket and one idle one; the idle ones must be told too.
    const connect = (i: number) => CourierSocket.connect({ serverUrl: server.url, accessToken: users[i]!.tokens.accessToken });
    const busy = await Promise.all(users.map((_, i) => connect(i)));
    const idle = await Promise.all(users.map((_, i) => connect(i)));
    const closes = new Map<CourierSocket, number>();
    for (const s of [...busy, ...idle]) s.onClose((code) => closes.set(s, code));
    const streams: Stream[] = [];
    for (let i = 0; i < users.length; i++) {
      const other = (i + 1) % users.length;
      const { conversation } = await busy[i]!.request('conversation.openDirect', { userId: users[other]!.user.id });
      streams.push({ socket: busy[i]!, conversationId: conversation.id }, { socket: busy[other]!, conversationId: conversation.id });
    }

    const load = new SendLoad();
    load.start(streams, 4);
    // Really under load before the signal (the check below), however slow the machine.
    await waitUntil(() => load.acked.size > 100, { timeoutMs: 15_000, message: 'more than 100 acks under load' });
    // The last word before the signal: acked, then the signal at once.
    const last = await load.send(busy[0]!, { clientId: uuidv7(), conversationId: streams[0]!.conversationId, senderId: users[0]!.user.id, body: 'the last word' });
    expect(last, 'the message sent right before the signal was not acked').not.toBeNull();
    server.kill(signal);
    const ackedAtSignal = load.acked.size;

    const exit = await Promise.race([server.exited, sleep(STOP_DEADLINE_MS).then(() => 'still running' as const)]);
    expect(exit, `${signal}: expected exit 0 within ${STOP_DEADLINE_MS} ms; stdout tail:\n${server.stdout().slice(-2000)}`).toEqual({ code: 0, signal: null });
    await load.stop();

    expect(load.errors).toEqual([]);
    expect(ackedAtSignal).toBeGreaterThan(100); // it really was under load
    expect(server.stderr()).toBe('');
    const messages = server.logs().map((l) => l['msg']);
    expect(messages).toContain('shutting down');
    expect(messages, JSON.stringify(server.logs().slice(-6))).toContain('courier server stopped');
    expect([...busy, ...idle].map((s) => closes.get(s))).toEqual([...busy, ...idle].map(() => CLOSE.goingAway));

    // With no server running, the file holds every ack (including the last word), gapless.
    const stored = readDatabase(dataDir);
    expect(stored.integrity).toBe('ok');
    const byClientId = new Map(stored.messages.map((m) => [m.clientId, m]));
    const missing = [...load.acked.values()].filter((a) => {
      const m = byClientId.get(a.clientId);
      return !m || m.seq !== a.seq || m.conversationId !== a.conversationId || m.body !== a.body;
    });
    expect(missing.length, `acked but not stored as acked, e.g. ${JSON.stringify(missing.slice(0, 3))}`).toBe(0);
    expect(byClientId.get(last!.clientId)).toMatchObject({ seq: last!.seq, body: 'the last word' });
    for (const [conversationId, lastSeq] of stored.lastSeq) {
      const seqs = stored.messages.filter((m) => m.conversationId === conversationId).map((m) => m.seq);
      expect(seqs).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    }
    expect(stored.messages.length).toBeGreaterThanOrEqual(load.acked.size);
    // A clean stop folds the WAL back: the single file is a complete backup.
    const wal = join(dataDir, 'courier.db-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
  });
});

describe('startup configuration', () => {
  it.each([
    { args: ['--port', 'abc'], names: ['--port', 'abc'] },
    { args: ['--port', '70000'], names: ['--port'] },
    { args: ['--port', ''], names: ['--port'] },
    { args: ['--registration', 'maybe'], names: ['--registration', 'maybe'] },
    { args: ['--log-level', 'loud'], names: ['--log-level'] },
    { args: ['--tls-cert', 'x'], names: ['--tls-cert', '--tls-key'] },
    { args: ['--allowed-origins', 'https://chat.example.com/path'], names: ['--allowed-origins'] },
    { args: ['--no-such-flag', '1'], names: ['--no-such-flag'] },
  ])('$args: exits 2 naming the flag, before touching the data folder', async ({ args, names }) => {
    const dataDir = freshDir();
    const result = await runServerCli(['--data-dir', dataDir, ...args]);
    expect(result, result.stderr).toMatchObject({ code: 2, signal: null });
    for (const name of names) expect(result.stderr).toContain(name);
    expect(result.stderr).toContain('Usage:');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a bad environment variable names the variable', async () => {
    const result = await runServerCli(['--data-dir', freshDir()], { COURIER_PORT: 'eighty' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('COURIER_PORT');
  });

  it('--help prints the usage and exits 0 without starting', async () => {
    const dataDir = freshDir();
    const result = await runServerCli(['--help', '--data-dir', dataDir]);
    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(result.stdout).toMatch(/^Usage:/);
    for (const flag of ['--port', '--data-dir', '--registration', '--tls-cert', 'COURIER_PORT']) expect(result.stdout).toContain(flag);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('the first run creates the data folder with courier.db and a private signing.key', async () => {
    const dataDir = join(freshDir(), 'nested', 'deeper');
    expect(existsSync(dataDir)).toBe(false);
    const server = await startChildServer({ dataDir });
    const info = await new CourierHttp(server.url).serverInfo();
    expect(info).toBeTruthy();
    expect(existsSync(join(dataDir, 'courier.db'))).toBe(true);
    const key = join(dataDir, 'signing.key');
    expect(existsSync(key)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(key).mode & 0o077).toBe(0);
    server.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(readDatabase(dataDir).integrity).toBe('ok');
  });
});

/** For deadlines only (racing a promise that should settle first), not for waiting on things. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startServer when the port is taken', () => {
  it('rejects with the listen error and releases the database file', async () => {
    const first = await startTestServer();
    const dataDir = mkdtempSync(join(tmpdir(), 'courier-busy-'));
    const openInDir = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dataDir);
        } catch {
          return false;
        }
      });
    try {
      const config = { ...loadConfig([], {}), port: first.port, dataDir };
      await expect(startServer({ config, logger: createLogger('silent') })).rejects.toThrow(/EADDRINUSE/);
      expect(openInDir()).toEqual([]);
    } finally {
      await first.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
