import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, resetElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { DEFAULT_WINDOW_SIZE, initialWindowBounds, readWindowState, trackWindowState } = await import('../../src/main/window-state');

const screen = { x: 0, y: 0, width: 1920, height: 1080 };
const rightScreen = { x: 1920, y: 0, width: 1280, height: 1024 };

describe('initialWindowBounds', () => {
  it('uses the defaults when nothing was saved', () => {
    expect(initialWindowBounds(null, [screen])).toEqual({ ...DEFAULT_WINDOW_SIZE, maximized: false });
  });

  it('restores a position inside a display, including a second display', () => {
    const saved = { x: 2000, y: 100, width: 1000, height: 800, maximized: false };
    expect(initialWindowBounds(saved, [screen, rightScreen])).toEqual(saved);
  });

  it('keeps the size but drops the position when that display is gone', () => {
    const saved = { x: 2000, y: 100, width: 1000, height: 800, maximized: true };
    expect(initialWindowBounds(saved, [screen])).toEqual({ width: 1000, height: 800, maximized: true });
  });

  it('falls back to the default size when the saved size fits no display', () => {
    const saved = { x: 0, y: 0, width: 3000, height: 2000, maximized: false };
    expect(initialWindowBounds(saved, [screen])).toEqual({ ...DEFAULT_WINDOW_SIZE, maximized: false });
  });

  it('tolerates a window snapped to the edge (invisible borders past the work area)', () => {
    const saved = { x: -7, y: 0, width: 974, height: 1087, maximized: false };
    expect(initialWindowBounds(saved, [screen])).toEqual(saved);
  });

  it('never restores below the minimum size', () => {
    const saved = { x: 10, y: 10, width: 100, height: 100, maximized: false };
    expect(initialWindowBounds(saved, [screen])).toMatchObject({ width: 480, height: 360 });
  });
});

describe('window-state.json', () => {
  let dir: string;
  beforeEach(() => {
    resetElectron();
    dir = mkdtempSync(join(tmpdir(), 'courier-state-'));
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads back only what has the right shape', () => {
    const file = join(dir, 'window-state.json');
    expect(readWindowState(file)).toBeNull();
    writeFileSync(file, '{not json');
    expect(readWindowState(file)).toBeNull();
    writeFileSync(file, JSON.stringify({ x: 1, y: 2, width: 'wide', height: 3, maximized: false }));
    expect(readWindowState(file)).toBeNull();
    writeFileSync(file, JSON.stringify({ x: 1, y: 2, width: 800, height: 600, maximized: false }));
    expect(readWindowState(file)).toEqual({ x: 1, y: 2, width: 800, height: 600, maximized: false });
  });

  it('saves once, debounced, after a burst of moves, and leaves no temp file', () => {
    vi.useFakeTimers();
    const file = join(dir, 'window-state.json');
    const window = new FakeBrowserWindow({});
    trackWindowState(window as never, file, 500);
    for (let i = 0; i < 20; i++) {
      window.bounds = { x: i, y: i, width: 800, height: 600 };
      window.emit('move');
      vi.advanceTimersByTime(100);
    }
    expect(readWindowState(file)).toBeNull();
    vi.advanceTimersByTime(500);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 19, y: 19, width: 800, height: 600, maximized: false });
    expect(readdirSync(dir)).toEqual(['window-state.json']);
  });

  it('saves at once when the window closes', () => {
    const file = join(dir, 'window-state.json');
    const window = new FakeBrowserWindow({});
    trackWindowState(window as never, file);
    window.maximized = true;
    window.close();
    expect(readWindowState(file)).toMatchObject({ maximized: true, width: 900 });
  });
});
