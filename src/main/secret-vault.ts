import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dialog, safeStorage, type BrowserWindow } from 'electron';
import { z } from 'zod';
import type { SecretVault } from '../client/app/desktop-core';
import { writeFileAtomic } from '../client/atomic-file';

/**
 * The refresh token between runs, in `<userData>/session.bin`, encrypted with the OS
 * keychain through safeStorage (macOS Keychain, Windows DPAPI, libsecret/KWallet on Linux).
 *
 * Where there is no keyring (safeStorage unavailable, or Linux's 'basic_text' backend,
 * whose "encryption" uses a key hard-coded in Chromium), the token would be readable by
 * anything that can read the user's files. The user decides once, remembered in
 * `<userData>/secret-policy.json`: store it anyway, or keep it in memory and sign in at
 * every start.
 *
 * session.bin: one format byte, then the payload. 'E': safeStorage ciphertext; 'P': UTF-8
 * plain text (only with the user's consent and no safeStorage at all).
 */
export const SESSION_FILE = 'session.bin';
export const POLICY_FILE = 'secret-policy.json';

const ENCRYPTED = 0x45; // 'E'
const PLAIN = 0x50; // 'P'

/** 'keyring': real OS protection. 'obfuscated': safeStorage works without a keyring. 'none': no safeStorage. */
export type SecretProtection = 'keyring' | 'obfuscated' | 'none';

export function secretProtection(platform: NodeJS.Platform): SecretProtection {
  if (!safeStorage.isEncryptionAvailable()) return 'none';
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'obfuscated';
  return 'keyring';
}

const PolicySchema = z.object({ storeWithoutKeyring: z.boolean(), decidedAt: z.string() });

export interface SafeStorageVaultOptions {
  /** The profile's folder (userData). */
  dir: string;
  platform: NodeJS.Platform;
  /** The window to attach the question to, if there is one. */
  parentWindow?(): BrowserWindow | null;
}

export function createSafeStorageVault(o: SafeStorageVaultOptions): SecretVault {
  const sessionFile = join(o.dir, SESSION_FILE);
  const policyFile = join(o.dir, POLICY_FILE);
  let memory: string | null = null;
  let asking: Promise<boolean> | null = null;

  /** Whether a secret may go to disk without a keyring; asks the user the first time. */
  const mayStoreWithoutKeyring = (): Promise<boolean> => {
    const decided = readPolicy(policyFile);
    if (decided !== null) return Promise.resolve(decided);
    // Two writes racing (sign-in, then an immediate token refresh) get one question.
    asking ??= askUser(o.parentWindow?.() ?? null)
      .then((allowed) => {
        writeFileAtomic(policyFile, `${JSON.stringify({ storeWithoutKeyring: allowed, decidedAt: new Date().toISOString() })}\n`);
        return allowed;
      })
      .finally(() => {
        asking = null;
      });
    return asking;
  };

  return {
    read() {
      if (memory !== null) return Promise.resolve(memory);
      let data: Buffer;
      try {
        data = readFileSync(sessionFile);
      } catch {
        return Promise.resolve(null);
      }
      return Promise.resolve(decode(data));
    },

    async write(secret) {
      if (secret === null) {
        memory = null;
        rmSync(sessionFile, { force: true });
        return;
      }
      const protection = secretProtection(o.platform);
      if (protection !== 'keyring' && !(await mayStoreWithoutKeyring())) {
        memory = secret;
        // A copy written before the user declined (or under another policy) must not linger.
        rmSync(sessionFile, { force: true });
        return;
      }
      memory = null;
      const payload =
        protection === 'none'
          ? Buffer.concat([Buffer.from([PLAIN]), Buffer.from(secret, 'utf8')])
          : Buffer.concat([Buffer.from([ENCRYPTED]), safeStorage.encryptString(secret)]);
      writeFileAtomic(sessionFile, payload, 0o600);
    },
  };
}

/** The stored secret, or null when it cannot be read back (keyring changed, file damaged). */
function decode(data: Buffer): string | null {
  const payload = data.subarray(1);
  if (data[0] === PLAIN) return payload.toString('utf8');
  if (data[0] !== ENCRYPTED || !safeStorage.isEncryptionAvailable()) return null;
  try {
    return safeStorage.decryptString(payload);
  } catch {
    return null;
  }
}

function readPolicy(file: string): boolean | null {
  try {
    const parsed = PolicySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.storeWithoutKeyring : null;
  } catch {
    return null;
  }
}

export const STORE_ANYWAY = 'Store anyway';
export const DONT_STORE = "Don't store (sign in at each start)";

async function askUser(parent: BrowserWindow | null): Promise<boolean> {
  const options = {
    type: 'warning' as const,
    title: 'Courier',
    message: 'No system keyring to protect your sign-in',
    detail:
      'Courier could not find a keyring (such as GNOME Keyring or KWallet) to encrypt your session. ' +
      'If you store it anyway, it is saved in plain text in your profile folder, where any program ' +
      'running as you can read it. If you do not store it, you sign in again each time Courier starts.',
    buttons: [STORE_ANYWAY, DONT_STORE],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
  const { response } = parent === null ? await dialog.showMessageBox(options) : await dialog.showMessageBox(parent, options);
  return response === 0;
}
