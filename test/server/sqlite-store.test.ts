import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/server/store/sqlite/sqlite-store';
import { describeStoreContract } from '../store-contract';

describeStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'courier-store-'));
  return { store: new SqliteStore(join(dir, 'courier.db')), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});
