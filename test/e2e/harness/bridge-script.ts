import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BridgeHostInfo } from './bridge-protocol';

const ENTRY = fileURLToPath(new URL('./bridge-page.ts', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../../../package.json', import.meta.url));

let bundled: Promise<string> | undefined;

/**
 * bridge-page.ts as one classic script (an IIFE, so it runs synchronously before the app's
 * module script), with this process's facts for `window.courier.app` compiled in. Bundled
 * once per process: every user's page gets the same text.
 */
export function bridgeScript(): Promise<string> {
  bundled ??= bundle().catch((error: unknown) => {
    bundled = undefined;
    throw error;
  });
  return bundled;
}

async function bundle(): Promise<string> {
  const { version } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string };
  const host: BridgeHostInfo = { appVersion: version, nodeVersion: process.version.replace(/^v/, '') };
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    define: { COURIER_HARNESS_HOST: JSON.stringify(host) },
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error('esbuild produced no bundle for the harness bridge');
  return file.text;
}
