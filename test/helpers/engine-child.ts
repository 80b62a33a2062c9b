// The desktop core in a child process, driven over stdin/stdout with JSON lines, so a test
// can SIGKILL "the app" at any instant and start it again on the same profile folder.
//   in:  {"id": 1, "method": "message.send", "params": {...}}
//   out: {"id": 1, "result": {...}} | {"event": "outbox", "payload": {...}}
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { createDesktopCore } from '../../src/client/app/create-desktop-core';
import type { IpcMethodName } from '../../src/shared/ipc';
import { FAST_RECONNECT, fileVault } from './engine';

const profileDir = process.argv[2];
if (!profileDir) throw new Error('usage: engine-child.ts <profileDir>');

const core = await createDesktopCore({
  profileDir,
  vault: fileVault(join(profileDir, 'test-vault')),
  deviceName: 'child app',
  shell: { openExternal: () => Promise.resolve(), settingsChanged: () => {} },
  connection: FAST_RECONNECT,
});
const write = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
core.subscribe((event, payload) => write({ event, payload }));
write({ ready: true });

createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, method, params } = JSON.parse(line) as { id: number; method: IpcMethodName; params: unknown };
  void core.dispatch(method, params).then((result) => write({ id, result }));
});
