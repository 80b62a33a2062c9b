import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electron, resetElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { createSafeStorageVault, DONT_STORE, POLICY_FILE, SESSION_FILE, STORE_ANYWAY, secretProtection } = await import('../../src/main/secret-vault');

let dir: string;
beforeEach(() => {
  resetElectron();
  dir = mkdtempSync(join(tmpdir(), 'courier-vault-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sessionFile = () => join(dir, SESSION_FILE);
const policyFile = () => join(dir, POLICY_FILE);
/** The user answers the keyring question with button `index`. */
const answer = (index: number) => electron.dialog.showMessageBox.mockImplementation(() => Promise.resolve({ response: index, checkboxChecked: false }));
const noKeyringOnLinux = () => electron.safeStorage.getSelectedStorageBackend.mockImplementation(() => 'basic_text');

describe('secretProtection', () => {
  it('tells a keyring from Linux basic_text from no safeStorage at all', () => {
    expect(secretProtection('linux')).toBe('keyring');
    noKeyringOnLinux();
    expect(secretProtection('linux')).toBe('obfuscated');
    // The backend question is Linux-only.
    expect(secretProtection('darwin')).toBe('keyring');
    electron.safeStorage.isEncryptionAvailable.mockImplementation(() => false);
    expect(secretProtection('win32')).toBe('none');
  });
});

describe('safeStorage vault', () => {
  it('with a keyring: encrypts to session.bin (0600), reads it back, never asks', async () => {
    const vault = createSafeStorageVault({ dir, platform: 'linux' });
    expect(await vault.read()).toBeNull();
    await vault.write('refresh-token-1');
    const raw = readFileSync(sessionFile());
    expect(raw.includes(Buffer.from('refresh-token-1'))).toBe(true); // the fake "encryption" wraps it
    expect(raw.subarray(1).toString()).toBe('enc(refresh-token-1)');
    expect(electron.safeStorage.encryptString).toHaveBeenCalledWith('refresh-token-1');
    if (process.platform !== 'win32') expect(statSync(sessionFile()).mode & 0o777).toBe(0o600);
    // A fresh vault (next start) reads it back.
    expect(await createSafeStorageVault({ dir, platform: 'linux' }).read()).toBe('refresh-token-1');
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('write(null) deletes the secret', async () => {
    const vault = createSafeStorageVault({ dir, platform: 'darwin' });
    await vault.write('t');
    await vault.write(null);
    expect(existsSync(sessionFile())).toBe(false);
    expect(await vault.read()).toBeNull();
  });

  it('an unreadable file (keyring changed) reads as no secret', async () => {
    writeFileSync(sessionFile(), Buffer.concat([Buffer.from('E'), Buffer.from('garbage')]));
    expect(await createSafeStorageVault({ dir, platform: 'darwin' }).read()).toBeNull();
  });

  it('basic_text on Linux: asks once; "Don\'t store" keeps the secret in memory only', async () => {
    noKeyringOnLinux();
    answer(1);
    const vault = createSafeStorageVault({ dir, platform: 'linux' });
    await Promise.all([vault.write('t1'), vault.write('t2')]);
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
    const options = electron.dialog.showMessageBox.mock.calls[0]!.at(-1) as { buttons: string[]; detail: string };
    expect(options.buttons).toEqual([STORE_ANYWAY, DONT_STORE]);
    expect(options.detail).toMatch(/plain text/);
    expect(existsSync(sessionFile())).toBe(false);
    expect(await vault.read()).toBe('t2');
    expect(JSON.parse(readFileSync(policyFile(), 'utf8'))).toMatchObject({ storeWithoutKeyring: false });

    // Next start: remembered, not asked again, and nothing on disk to read.
    const next = createSafeStorageVault({ dir, platform: 'linux' });
    expect(await next.read()).toBeNull();
    await next.write('t3');
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
    expect(existsSync(sessionFile())).toBe(false);
    expect(await next.read()).toBe('t3');
  });

  it('basic_text on Linux: "Store anyway" stores it (through safeStorage) and is remembered', async () => {
    noKeyringOnLinux();
    answer(0);
    const vault = createSafeStorageVault({ dir, platform: 'linux' });
    await vault.write('t1');
    expect(readFileSync(sessionFile()).subarray(1).toString()).toBe('enc(t1)');
    expect(await createSafeStorageVault({ dir, platform: 'linux' }).read()).toBe('t1');
    await createSafeStorageVault({ dir, platform: 'linux' }).write('t2');
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
  });

  it('no safeStorage at all: "Store anyway" writes plain text, still 0600', async () => {
    electron.safeStorage.isEncryptionAvailable.mockImplementation(() => false);
    answer(0);
    const vault = createSafeStorageVault({ dir, platform: 'win32' });
    await vault.write('plain-token');
    expect(readFileSync(sessionFile()).toString()).toBe('Pplain-token');
    expect(electron.safeStorage.encryptString).not.toHaveBeenCalled();
    expect(await createSafeStorageVault({ dir, platform: 'win32' }).read()).toBe('plain-token');
  });

  it('declining removes a copy stored earlier', async () => {
    await createSafeStorageVault({ dir, platform: 'linux' }).write('old');
    expect(existsSync(sessionFile())).toBe(true);
    noKeyringOnLinux();
    answer(1);
    await createSafeStorageVault({ dir, platform: 'linux' }).write('new');
    expect(existsSync(sessionFile())).toBe(false);
  });

  it('attaches the question to the window when there is one', async () => {
    noKeyringOnLinux();
    const parent = { window: true };
    await createSafeStorageVault({ dir, platform: 'linux', parentWindow: () => parent as never }).write('t');
    expect(electron.dialog.showMessageBox.mock.calls[0]![0]).toBe(parent);
  });
});
