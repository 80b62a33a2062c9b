import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The import rules between runtimes are only real if lint rejects a violation. */
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint enforces the folder boundaries', () => {
  it.each([
    ['src/shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['src/shared/x.ts', "import path from 'path';\nexport const x = path;\n"],
    ['src/renderer/x.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['src/renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['src/server/x.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['src/client/x.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['src/client/x.ts', "import { startServer } from '../server/server';\nexport const x = startServer;\n"],
    ['src/server/x.ts', "import { CourierSocket } from '../client';\nexport const x = CourierSocket;\n"],
    ['src/main/x.ts', "import { startServer } from '../server/server';\nexport const x = startServer;\n"],
  ])('%s: %s is rejected', async (file, code) => {
    expect(await restrictedImports(file, code)).not.toEqual([]);
  });

  it.each([
    ['src/server/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['src/main/x.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['src/renderer/x.ts', "import { PROTOCOL } from '../shared/protocol';\nexport const x = PROTOCOL;\n"],
    ['src/renderer/x.ts', "import { createRoot } from 'react-dom/client';\nexport const x = createRoot;\n"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});
