import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const DIR = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));

/** Saves the viewport as test-results/screenshots/<name>.png (git-ignored) and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path });
  return path;
}
