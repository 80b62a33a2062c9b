// Lint is where the architecture's import rules live (see docs/architecture.md):
// a folder is a runtime, and a file that needs a forbidden import is in the wrong folder.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnlyPackages = ['better-sqlite3', 'ws', 'fastify', 'pino', 'prom-client'];

const noElectron = { name: 'electron', message: 'Only src/main may import electron.' };
const noNode = nodeBuiltins.map((name) => ({
  name,
  message: 'This folder must run without Node (pure or DOM). Move Node code to src/server or src/client.',
}));
const noNodePackages = nodeOnlyPackages.map((name) => ({
  name,
  message: 'A Node-only package; this folder must run without Node.',
}));
const noReact = ['react', 'react-dom'].map((name) => ({ name, message: 'React belongs in src/renderer.' }));

/** `src/<name>` reached by a relative path (`../client`, `../../server/x`), not a package like react-dom/client. */
const folders = (...names) => `^(\\.\\./)+(${names.join('|')})(/.*)?$`;

/** A folder-specific no-restricted-imports rule; `patterns` catch relative reach-ins. */
const restrict = (paths, patterns = []) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'data/**', '.courier-dev/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict([noElectron, ...noNode, ...noNodePackages, ...noReact], [
      { regex: folders('server', 'client', 'main', 'preload', 'renderer'), message: 'src/shared imports nothing outside itself.' },
    ]),
  },
  {
    files: ['src/server/**/*.ts'],
    rules: restrict([noElectron, ...noReact], [
      { regex: folders('client', 'main', 'preload', 'renderer'), message: 'The server depends only on src/shared.' },
    ]),
  },
  {
    files: ['src/client/**/*.ts'],
    rules: restrict([noElectron, ...noReact], [
      { regex: folders('server', 'main', 'preload', 'renderer'), message: 'The client library depends only on src/shared.' },
    ]),
  },
  {
    files: ['src/main/**/*.ts'],
    rules: restrict([...noReact], [
      { regex: folders('server', 'renderer'), message: 'Main composes src/client and src/shared only.' },
    ]),
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict([...noReact, ...noNodePackages], [
      { regex: folders('server', 'client', 'main', 'renderer'), message: 'The preload exposes the shared IPC contract only.' },
    ]),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict([noElectron, ...noNode, ...noNodePackages], [
      { regex: folders('server', 'client', 'main', 'preload'), message: 'The renderer talks only to window.courier and src/shared.' },
    ]),
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
