import { BrowserWindow, screen, type BrowserWindowConstructorOptions, type WebContents } from 'electron';
import { secureWebPreferences } from './web-preferences';
import { initialWindowBounds, MIN_WINDOW_SIZE, readWindowState, trackWindowState, type InitialBounds } from './window-state';

/**
 * The one app window, which comes and goes while the app (and its connection, which lives
 * in main) keeps running in the tray:
 *
 * - closing it hides it to the tray when settings.closeToTray, or quits otherwise; once
 *   the app is quitting, close really closes;
 * - hidden for `hiddenLifetimeMs` it is destroyed, returning the renderer's memory (a
 *   React app holding a timeline is easily 100+ MB) to the OS; show() recreates it;
 * - its bounds are remembered in `stateFile`.
 */
export interface MainWindowOptions {
  preloadPath: string;
  appVersion: string;
  /** Loads the renderer (the built file, or the dev server). */
  load(window: BrowserWindow): Promise<void>;
  stateFile: string;
  isQuitting(): boolean;
  closeToTray(): boolean;
  /** Closing without closeToTray: quit the app. */
  quit(): void;
  hiddenLifetimeMs: number;
  /** A new window exists (again): re-apply what lives on the window (overlay badge). */
  onCreated?(window: BrowserWindow): void;
  onFocus?(): void;
}

/** Where the user's attention is, for the notification decision. */
export type WindowAttention = 'hidden' | 'unfocused' | 'focused';

export function mainWindowOptions(bounds: InitialBounds, preloadPath: string, appVersion: string): BrowserWindowConstructorOptions {
  return {
    width: bounds.width,
    height: bounds.height,
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Courier',
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    // Windows/Linux: the menu (File > Quit, Edit) appears on Alt; it is mostly for shortcuts.
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath, appVersion),
  };
}

export class MainWindow {
  private window: BrowserWindow | null = null;
  private loaded = false;
  private afterLoad: ((contents: WebContents) => void)[] = [];
  private hiddenTimer: ReturnType<typeof setTimeout> | undefined;
  private flushState: (() => void) | undefined;

  constructor(private readonly o: MainWindowOptions) {}

  /** The live window, if there is one. */
  get(): BrowserWindow | null {
    return this.window !== null && !this.window.isDestroyed() ? this.window : null;
  }

  /** Shows and focuses the window, creating it if it was never created or was destroyed. */
  show(): void {
    const existing = this.get();
    if (existing === null) {
      this.create();
      return;
    }
    if (existing.isMinimized()) existing.restore();
    existing.show();
    existing.focus();
  }

  attention(): WindowAttention {
    const window = this.get();
    if (window === null || !window.isVisible() || window.isMinimized()) return 'hidden';
    return window.isFocused() ? 'focused' : 'unfocused';
  }

  /** Runs `fn` once the renderer has loaded (now, if it has); a destroyed window drops it. */
  whenLoaded(fn: (contents: WebContents) => void): void {
    const window = this.get();
    if (window !== null && this.loaded) fn(window.webContents);
    else this.afterLoad.push(fn);
  }

  /** Sends an event to the renderer if there is one; events for a destroyed window are dropped (it re-reads state when recreated). */
  send(channel: string, payload: unknown): void {
    const window = this.get();
    if (window !== null && !window.webContents.isDestroyed()) window.webContents.send(channel, payload);
  }

  private create(): void {
    const bounds = initialWindowBounds(
      readWindowState(this.o.stateFile),
      screen.getAllDisplays().map((display) => display.workArea),
    );
    const window = new BrowserWindow(mainWindowOptions(bounds, this.o.preloadPath, this.o.appVersion));
    this.window = window;
    this.loaded = false;
    this.flushState = trackWindowState(window, this.o.stateFile).flush;

    window.once('ready-to-show', () => {
      if (bounds.maximized) window.maximize();
      window.show();
      window.focus();
    });
    window.on('close', (event) => {
      if (this.o.isQuitting()) return;
      event.preventDefault();
      if (this.o.closeToTray()) window.hide();
      else this.o.quit();
    });
    window.on('hide', () => this.startHiddenTimer());
    window.on('show', () => this.stopHiddenTimer());
    window.on('focus', () => this.o.onFocus?.());
    window.on('closed', () => {
      this.stopHiddenTimer();
      if (this.window === window) {
        this.window = null;
        this.loaded = false;
        this.afterLoad = [];
      }
    });
    window.webContents.on('did-start-loading', () => {
      this.loaded = false;
    });
    window.webContents.on('did-finish-load', () => {
      this.loaded = true;
      const pending = this.afterLoad;
      this.afterLoad = [];
      for (const fn of pending) fn(window.webContents);
    });

    this.o.onCreated?.(window);
    this.o.load(window).catch((error: unknown) => console.error('Courier could not load its window:', error));
  }

  private startHiddenTimer(): void {
    this.stopHiddenTimer();
    this.hiddenTimer = setTimeout(() => {
      this.hiddenTimer = undefined;
      const window = this.get();
      if (window === null || window.isVisible()) return;
      // destroy() emits no 'close', so neither the close-to-tray rule nor the state saver runs.
      this.flushState?.();
      window.destroy();
    }, this.o.hiddenLifetimeMs);
  }

  private stopHiddenTimer(): void {
    if (this.hiddenTimer !== undefined) clearTimeout(this.hiddenTimer);
    this.hiddenTimer = undefined;
  }
}
