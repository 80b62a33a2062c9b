import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * A stand-in for the `electron` module, for unit tests of src/main and src/preload (the
 * Electron binary is not available where these tests run). Each test file does
 *
 *   vi.mock('electron', async () => (await import('./fake-electron')).electron);
 *
 * and calls resetElectron() in beforeEach. The fakes implement only what the shell uses,
 * with the same observable behaviour (events, preventDefault, destroyed state).
 */

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeWebFrame {
  constructor(
    public url: string,
    public parent: FakeWebFrame | null = null,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  destroyed = false;
  readonly send = vi.fn<(channel: string, ...args: unknown[]) => void>();
  readonly mainFrame: FakeWebFrame;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  constructor(url = 'file:///app/out/renderer/index.html') {
    super();
    this.mainFrame = new FakeWebFrame(url);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  /** Simulates the renderer finishing its load. */
  finishLoad(): void {
    this.emit('did-finish-load');
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  focused = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  bounds = { x: 10, y: 20, width: 900, height: 600 };
  readonly setOverlayIcon = vi.fn<(image: unknown, description: string) => void>();
  readonly loadFile = vi.fn<(path: string) => Promise<void>>(() => Promise.resolve());
  readonly loadURL = vi.fn<(url: string) => Promise<void>>(() => Promise.resolve());

  constructor(public readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((w) => !w.destroyed);
  }
  show(): void {
    this.visible = true;
    this.minimized = false;
    this.emit('show');
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
    this.emit('hide');
  }
  focus(): void {
    this.focused = true;
    this.emit('focus');
  }
  blur(): void {
    this.focused = false;
    this.emit('blur');
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Like Electron: 'close' can be prevented; otherwise the window is destroyed. */
  close(): void {
    if (this.destroyed) return;
    const event = new FakeEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }
  /** Like Electron: no 'close', only 'closed'. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  /** The renderer is ready to paint. */
  readyToShow(): void {
    this.emit('ready-to-show');
  }
}

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = [];
  readonly setToolTip = vi.fn<(text: string) => void>();
  readonly setContextMenu = vi.fn<(menu: FakeMenu | null) => void>();
  readonly popUpContextMenu = vi.fn<(menu?: FakeMenu) => void>();
  readonly destroy = vi.fn();
  constructor(public readonly image: string) {
    super();
    FakeTray.instances.push(this);
  }
}

export interface FakeMenuItem {
  label?: string;
  type?: string;
  role?: string;
  checked?: boolean;
  accelerator?: string;
  click?: (item: { checked: boolean }) => void;
  submenu?: FakeMenuItem[];
}

export class FakeMenu {
  constructor(public readonly items: FakeMenuItem[]) {}
  static buildFromTemplate(template: FakeMenuItem[]): FakeMenu {
    return new FakeMenu(template);
  }
  static setApplicationMenu = vi.fn();
}

export class FakeNotification extends EventEmitter {
  static instances: FakeNotification[] = [];
  static supported = true;
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  shown = false;
  closed = false;
  constructor(public readonly options: { title?: string; body?: string }) {
    super();
    FakeNotification.instances.push(this);
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', new FakeEvent());
  }
  click(): void {
    this.emit('click', new FakeEvent());
  }
}

class FakeApp extends EventEmitter {
  isPackaged = true;
  name = 'Courier';
  readonly quit = vi.fn();
  readonly exit = vi.fn();
  readonly setBadgeCount = vi.fn<(count?: number) => boolean>(() => true);
  readonly setLoginItemSettings = vi.fn<(settings: Record<string, unknown>) => void>();
  readonly getLoginItemSettings = vi.fn(() => ({ wasOpenedAtLogin: false }));
  readonly getPath = vi.fn((name: string) => `/fake/${name}`);
  readonly setPath = vi.fn();
  readonly getVersion = vi.fn(() => '0.0.0-test');
  readonly getAppPath = vi.fn(() => '/fake/app');
  readonly requestSingleInstanceLock = vi.fn(() => true);
  readonly enableSandbox = vi.fn();
  readonly setAppUserModelId = vi.fn();
  readonly whenReady = vi.fn(() => Promise.resolve());
}

export const ipcMainHandlers = new Map<string, (...args: unknown[]) => unknown>();

class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(() => Promise.resolve({ ok: true, value: null }));
}

export const electron = {
  app: new FakeApp(),
  BrowserWindow: FakeBrowserWindow,
  Tray: FakeTray,
  Menu: FakeMenu,
  Notification: FakeNotification,
  nativeImage: { createFromPath: vi.fn((path: string) => ({ path })) },
  screen: {
    getAllDisplays: vi.fn(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]),
  },
  powerMonitor: Object.assign(new EventEmitter(), { getSystemIdleTime: vi.fn(() => 0) }),
  net: { isOnline: vi.fn(() => true) },
  safeStorage: {
    isEncryptionAvailable: vi.fn(() => true),
    getSelectedStorageBackend: vi.fn((): string => 'gnome_libsecret'),
    encryptString: vi.fn((text: string) => Buffer.from(`enc(${text})`, 'utf8')),
    decryptString: vi.fn((data: Buffer) => {
      const text = data.toString('utf8');
      if (!text.startsWith('enc(') || !text.endsWith(')')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return text.slice(4, -1);
    }),
  },
  dialog: {
    showMessageBox: vi.fn((..._args: unknown[]) => Promise.resolve({ response: 1, checkboxChecked: false })),
    showErrorBox: vi.fn(),
  },
  shell: { openExternal: vi.fn((_url: string) => Promise.resolve()) },
  session: {
    defaultSession: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    },
  },
  ipcMain: {
    handle: vi.fn((channel: string, handler: (...args: unknown[]) => unknown) => {
      if (ipcMainHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      ipcMainHandlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => ipcMainHandlers.delete(channel)),
  },
  ipcRenderer: new FakeIpcRenderer(),
  contextBridge: { exposeInMainWorld: vi.fn() },
};

/** Fresh state for each test: no windows, trays or notifications, default answers. */
export function resetElectron(): void {
  vi.clearAllMocks();
  FakeBrowserWindow.instances = [];
  FakeTray.instances = [];
  FakeNotification.instances = [];
  FakeNotification.supported = true;
  electron.app.removeAllListeners();
  electron.app.isPackaged = true;
  electron.app.requestSingleInstanceLock.mockImplementation(() => true);
  electron.app.getPath.mockImplementation((name: string) => `/fake/${name}`);
  electron.powerMonitor.removeAllListeners();
  electron.ipcRenderer.removeAllListeners();
  ipcMainHandlers.clear();
  electron.powerMonitor.getSystemIdleTime.mockImplementation(() => 0);
  electron.net.isOnline.mockImplementation(() => true);
  electron.safeStorage.isEncryptionAvailable.mockImplementation(() => true);
  electron.safeStorage.getSelectedStorageBackend.mockImplementation(() => 'gnome_libsecret');
  electron.dialog.showMessageBox.mockImplementation(() => Promise.resolve({ response: 1, checkboxChecked: false }));
  electron.screen.getAllDisplays.mockImplementation(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]);
}
