import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // Component tests opt into a DOM with `// @vitest-environment jsdom` at their top.
    environment: 'node',
    // jsdom lacks layout APIs (scrollBy, ResizeObserver…); one file supplies them (it does nothing under node).
    setupFiles: ['./src/renderer/test-support/jsdom-layout.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    // Integration tests start real servers and child processes; give them room on 2 cores.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
