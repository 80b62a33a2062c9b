import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electron, FakeBrowserWindow, resetElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { MainWindow } = await import('../../src/main/main-window');

let dir: string;
let quitting: boolean;
let closeToTray: boolean;
let quit: ReturnType<typeof vi.fn<() => void>>;

function makeWindow(overrides: Partial<ConstructorParameters<typeof MainWindow>[0]> = {}) {
  return new MainWindow({
    preloadPath: '/app/out/preload/index.cjs',
    appVersion: '1.2.3',
    load: (window) => window.loadFile('/app/out/renderer/index.html'),
    stateFile: join(dir, 'window-state.json'),
    isQuitting: () => quitting,
    closeToTray: () => closeToTray,
    quit,
    hiddenLifetimeMs: 10 * 60_000,
    ...overrides,
  });
}

/** The BrowserWindow the controller created most recently, as the fake. */
function lastWindow(): FakeBrowserWindow {
  const window = FakeBrowserWindow.instances.at(-1);
  if (window === undefined) throw new Error('no window was created');
  return window;
}

beforeEach(() => {
  resetElectron();
  dir = mkdtempSync(join(tmpdir(), 'courier-window-'));
  quitting = false;
  closeToTray = true;
  quit = vi.fn<() => void>();
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe('MainWindow', () => {
  it('creates the window with the secure webPreferences and shows it only when ready', () => {
    const main = makeWindow();
    main.show();
    const window = lastWindow();
    const prefs = window.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      additionalArguments: ['--courier-app-version=1.2.3'],
    });
    expect(window.options['show']).toBe(false);
    expect(window.loadFile).toHaveBeenCalledWith('/app/out/renderer/index.html');
    expect(window.isVisible()).toBe(false);
    window.readyToShow();
    expect(window.isVisible()).toBe(true);
    expect(window.isFocused()).toBe(true);
  });

  it('closing hides to the tray when closeToTray is on, and does not quit', () => {
    const main = makeWindow();
    main.show();
    const window = lastWindow();
    window.readyToShow();
    window.close();
    expect(window.isDestroyed()).toBe(false);
    expect(window.isVisible()).toBe(false);
    expect(quit).not.toHaveBeenCalled();
    expect(main.attention()).toBe('hidden');
  });

  it('closing quits when closeToTray is off', () => {
    closeToTray = false;
    const main = makeWindow();
    main.show();
    const window = lastWindow();
    window.readyToShow();
    window.close();
    expect(quit).toHaveBeenCalledTimes(1);
    // The window stays until the quit sequence closes it.
    expect(window.isDestroyed()).toBe(false);
  });

  it('once quitting, a close really closes (and neither hides nor asks to quit again)', () => {
    const main = makeWindow();
    main.show();
    const window = lastWindow();
    window.readyToShow();
    window.close();
    expect(window.isDestroyed()).toBe(false);
    quitting = true;
    window.close();
    expect(window.isDestroyed()).toBe(true);
    expect(quit).not.toHaveBeenCalled();
    expect(main.get()).toBeNull();
  });

  it('show() on a hidden window shows and focuses the same window', () => {
    const main = makeWindow();
    main.show();
    const window = lastWindow();
    window.readyToShow();
    window.close();
    main.show();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(window.isVisible()).toBe(true);
    expect(window.isFocused()).toBe(true);
  });

  it('destroys a window hidden for the configured time and recreates it on show()', () => {
    vi.useFakeTimers();
    const main = makeWindow();
    main.show();
    const first = lastWindow();
    first.readyToShow();
    first.hide();
    vi.advanceTimersByTime(10 * 60_000 - 1);
    expect(first.isDestroyed()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(first.isDestroyed()).toBe(true);
    expect(main.get()).toBeNull();
    // Its bounds were saved before it went away.
    expect(JSON.parse(readFileSync(join(dir, 'window-state.json'), 'utf8'))).toMatchObject(first.bounds);

    main.show();
    expect(FakeBrowserWindow.instances).toHaveLength(2);
    expect(main.get()).toBe(lastWindow());
  });

  it('showing again before the timer fires keeps the window', () => {
    vi.useFakeTimers();
    const main = makeWindow();
    main.show();
    const window = lastWindow();
    window.readyToShow();
    window.hide();
    vi.advanceTimersByTime(5 * 60_000);
    main.show();
    vi.advanceTimersByTime(60 * 60_000);
    expect(window.isDestroyed()).toBe(false);
  });

  it('whenLoaded waits for the renderer to finish loading, and runs at once afterwards', () => {
    const main = makeWindow();
    main.show();
    const window = lastWindow();
    const calls: string[] = [];
    main.whenLoaded(() => calls.push('first'));
    expect(calls).toEqual([]);
    window.webContents.finishLoad();
    expect(calls).toEqual(['first']);
    main.whenLoaded(() => calls.push('second'));
    expect(calls).toEqual(['first', 'second']);
  });

  it('reports attention: hidden, unfocused, focused', () => {
    const main = makeWindow();
    expect(main.attention()).toBe('hidden');
    main.show();
    const window = lastWindow();
    window.readyToShow();
    expect(main.attention()).toBe('focused');
    window.blur();
    expect(main.attention()).toBe('unfocused');
    window.minimized = true;
    expect(main.attention()).toBe('hidden');
  });

  it('calls onCreated for every new window (to re-apply the overlay badge)', () => {
    vi.useFakeTimers();
    const onCreated = vi.fn();
    const main = makeWindow({ onCreated });
    main.show();
    lastWindow().readyToShow();
    lastWindow().hide();
    vi.advanceTimersByTime(10 * 60_000);
    main.show();
    expect(onCreated).toHaveBeenCalledTimes(2);
  });

  it('restores saved bounds that fit a connected display, maximized state too', () => {
    writeFileSync(join(dir, 'window-state.json'), JSON.stringify({ x: 100, y: 50, width: 800, height: 500, maximized: true }));
    const main = makeWindow();
    main.show();
    const window = lastWindow();
    expect(window.options).toMatchObject({ x: 100, y: 50, width: 800, height: 500 });
    window.readyToShow();
    expect(window.isMaximized()).toBe(true);
  });

  it('ignores a saved position on a display that is gone', () => {
    writeFileSync(join(dir, 'window-state.json'), JSON.stringify({ x: 2500, y: 50, width: 800, height: 500, maximized: false }));
    electron.screen.getAllDisplays.mockImplementation(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]);
    const main = makeWindow();
    main.show();
    const window = lastWindow();
    expect(window.options['x']).toBeUndefined();
    expect(window.options).toMatchObject({ width: 800, height: 500 });
  });
});
