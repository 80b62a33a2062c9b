import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AccountSchema, type Account } from '../../shared/ipc';
import { writeFileAtomic } from '../atomic-file';

/**
 * The signed-in account (not secret: server, user, session id) in `<profile>/account.json`,
 * and where its local database lives. The refresh token is kept apart, in the vault.
 */
export function readAccount(profileDir: string): Account | null {
  try {
    const parsed = AccountSchema.safeParse(JSON.parse(readFileSync(accountPath(profileDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeAccount(profileDir: string, account: Account | null): void {
  const file = accountPath(profileDir);
  if (account === null) {
    rmSync(file, { force: true });
    return;
  }
  writeFileAtomic(file, JSON.stringify(account, null, 2), 0o600);
}

/**
 * One database per (server, user): signing in as someone else never shows the previous
 * person's history, and signing back in after a revoked session finds the outbox intact.
 */
export function databasePath(profileDir: string, account: Pick<Account, 'serverUrl' | 'userId'>): string {
  const key = createHash('sha256').update(`${account.serverUrl}\n${account.userId}`).digest('hex').slice(0, 24);
  return join(profileDir, 'accounts', `${key}.sqlite`);
}

/** Removes the database and its WAL/SHM companions. */
export function deleteDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

function accountPath(profileDir: string): string {
  return join(profileDir, 'account.json');
}
