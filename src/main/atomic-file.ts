import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `data` to `file` so a reader (or the next start after a crash or power cut) sees
 * either the old content or the new, never half of it: write a sibling temp file, then
 * rename over the target (atomic on the same file system). `mode` applies from creation,
 * so a secret is never readable by others, not even for an instant.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data, { mode });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
