import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `data` to `file` so a reader (or the next start after a crash or power cut) sees
 * either the old content or the new, never half of it: write a sibling temp file, fsync
 * it, then rename it over the target (atomic on one file system). Without the fsync the
 * rename can reach the disk before the data does. The folder is fsynced too, so the
 * rename itself survives a power cut (not possible on Windows, where rename is durable
 * enough). `mode` applies from creation, so a secret is never readable by others, not
 * even for an instant.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, 'w', mode);
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(dir);
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a directory; the data itself is already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
