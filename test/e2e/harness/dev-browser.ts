// `npm run dev:browser`: the desktop app's UI in an ordinary browser, for machines where
// Electron cannot run. Starts a real Courier server (embedded SQLite in a temporary
// folder) and, per user named on the command line (default: alice bob), a real
// DesktopCore with its own profile behind its own renderer server. Open each printed URL
// in a tab and sign in or register there; the sign-in screen offers the local server.
// Ctrl+C stops everything and deletes the temporary data.
//
// The renderer is built once at start (cached as in the tests): restart to see renderer
// changes. No Chromium is launched; any current browser will do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from '../../helpers/child-server';
import { startUserBackend, unwind, type UserBackend } from './user-backend';

const USAGE = 'usage: npm run dev:browser -- [name ...]   (default: alice bob; letters, digits, - and _)';

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  if (names.length === 0) names.push('alice', 'bob');
  if (names.some((name) => !/^[\w-]{1,32}$/.test(name)) || new Set(names).size !== names.length) {
    console.error(USAGE);
    process.exit(2);
  }

  const stack: Array<() => Promise<void> | void> = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      await unwind(stack);
    } catch (error) {
      console.error('dev:browser: stopping failed:', error);
      code ||= 1;
    }
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      // npm and tsx pass Ctrl+C on too: the first signal stops cleanly, later ones wait for it.
      if (stopping) return;
      console.log('\nstopping…');
      void stop(0);
    });
  }

  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'courier-dev-browser-'));
    stack.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startChildServer({ dataDir });
    stack.push(async () => {
      server.kill('SIGTERM');
      await server.exited;
    });
    void server.exited.then((exit) => {
      if (stopping) return;
      console.error(`dev:browser: the server exited (${exit.signal ?? `code ${exit.code}`}):\n${server.stderr().slice(-4000)}`);
      void stop(1);
    });

    const users: UserBackend[] = [];
    for (const name of names) {
      const user = await startUserBackend({ name, serverUrl: server.url, onOpenExternal: (url) => console.log(`[${name}] the app opens ${url}`) });
      stack.push(() => user.close());
      users.push(user);
    }

    const width = Math.max(...names.map((n) => n.length));
    console.log(`Courier server: ${server.url}  (data in ${dataDir}, deleted on exit)`);
    console.log('Open each user in its own browser tab (each is its own origin, profile and core):');
    for (const user of users) console.log(`  ${user.name.padEnd(width)}  ${user.url}`);
    console.log(`Register or sign in on each page with the server ${server.url}. Ctrl+C stops everything.`);
  } catch (error) {
    console.error('dev:browser: could not start:', error instanceof Error ? error.message : error);
    await stop(1);
  }
}

void main();
