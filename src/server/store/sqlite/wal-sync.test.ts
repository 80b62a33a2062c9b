import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store';
import { WalSync } from './wal-sync';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'courier-wal-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('WalSync', () => {
  it('shares one fdatasync among the callers waiting for it: a burst of 50 takes at most two', async () => {
    const file = join(tempDir(), 'x-wal');
    writeFileSync(file, 'frames');
    const wal = new WalSync(file);
    await Promise.all(Array.from({ length: 50 }, () => wal.sync()));
    expect(wal.syncs).toBeGreaterThanOrEqual(1);
    expect(wal.syncs).toBeLessThanOrEqual(2);
    await wal.close();
    await expect(wal.sync()).rejects.toThrow(/closed/);
  });

  it('never answers a caller with a sync that began before it asked', async () => {
    const file = join(tempDir(), 'x-wal');
    writeFileSync(file, 'frames');
    const wal = new WalSync(file);
    const first = wal.sync(); // starts a sync
    const second = wal.sync(); // asked during it: must wait for the next
    const order: string[] = [];
    await Promise.all([first.then(() => order.push(`first after ${wal.syncs}`)), second.then(() => order.push(`second after ${wal.syncs}`))]);
    expect(order).toEqual(['first after 1', 'second after 2']);
    await wal.close();
  });

  it('reports a failed sync to its callers, and the next caller gets a fresh try', async () => {
    const wal = new WalSync(join(tempDir(), 'missing-wal'));
    await expect(wal.sync()).rejects.toThrow(/ENOENT/);
    await wal.close();
  });
});

describe('SqliteStore durability', () => {
  it('answers a write only after an fdatasync, shared by the writes of one moment', async () => {
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'courier.db'));
    const users = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.createUser({ id: `u_${i}`, username: `user${i}`, displayName: null, passwordHash: 'x', now: 1 })),
    );
    expect(users.every((u) => typeof u === 'object')).toBe(true);
    expect(store.walSyncs).toBeGreaterThanOrEqual(1);
    expect(store.walSyncs).toBeLessThanOrEqual(3);
    await store.close();
    // A clean stop leaves one complete file: the WAL folded back and emptied.
    expect(statSync(join(dir, 'courier.db-wal'), { throwIfNoEntry: false })?.size ?? 0).toBe(0);
  });
});
