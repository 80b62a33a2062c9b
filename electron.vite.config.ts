import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CSP_META, extendPolicy } from './src/shared/csp';

export default defineConfig({
  main: {
    build: {
      lib: { entry: resolve('src/main/index.ts') },
      // A native module cannot be bundled: it is loaded from node_modules at run time
      // (unpacked from the asar, see electron-builder.yml). Listed explicitly so it stays
      // external even if it ever moves out of package.json "dependencies".
      externalizeDeps: { include: ['better-sqlite3'] },
    },
  },
  preload: {
    build: {
      lib: { entry: resolve('src/preload/index.ts') },
      // A sandboxed preload can require only 'electron' and a few built-ins, never a
      // package from node_modules, so everything it imports must be bundled in.
      externalizeDeps: false,
      rolldownOptions: {
        // Sandboxed preloads are not loaded as ES modules; they must be one CJS file.
        // (package.json "type": "module" would otherwise make electron-vite emit ESM.)
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rolldownOptions: { input: resolve('src/renderer/index.html') },
    },
    plugins: [react(), devOnlyCspRelaxation()],
  },
});

/**
 * Vite's dev server injects inline <script> tags (React Fast Refresh preamble), inline
 * <style> elements (CSS hot reload) and a WebSocket for HMR, which the strict policy in
 * index.html forbids. During `electron-vite dev` only, this allows exactly the inline
 * scripts present in the served page (by hash), inline styles, and the dev server's own
 * WebSocket. `vite build` never runs it, so the shipped app keeps the policy as written.
 */
function devOnlyCspRelaxation(): Plugin {
  return {
    name: 'courier:dev-only-csp-relaxation',
    apply: 'serve',
    transformIndexHtml: {
      // 'post' runs after the plugins that inject the inline scripts we need to hash.
      order: 'post',
      handler(html, ctx) {
        if (!CSP_META.test(html)) {
          throw new Error('src/renderer/index.html must declare its Content-Security-Policy in a <meta> tag');
        }
        const devUrl = ctx.server?.resolvedUrls?.local[0];
        // ws://host:port of the dev server itself; any ws: only if Vite cannot tell us.
        const hmrSource = devUrl === undefined ? 'ws:' : new URL(devUrl).origin.replace(/^http/, 'ws');
        const additions: Record<string, string[]> = {
          'script-src': inlineScriptHashes(html).map((hash) => `'sha256-${hash}'`),
          'style-src': ["'unsafe-inline'"],
          'connect-src': ["'self'", hmrSource],
        };
        return html.replace(CSP_META, (_match, open: string, policy: string, close: string) => {
          return `${open}${extendPolicy(policy, additions)}${close}`;
        });
      },
    },
  };
}

/** Base64 SHA-256 of each inline script's text, as CSP hash sources expect. */
function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attributes = match[1] ?? '';
    const body = match[2] ?? '';
    if (/\bsrc\s*=/i.test(attributes) || body.trim() === '') continue;
    hashes.push(createHash('sha256').update(body, 'utf8').digest('base64'));
  }
  return hashes;
}
