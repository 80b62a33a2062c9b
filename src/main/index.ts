// The Electron main process: the composition root that wires the DesktopCore (src/client)
// to Electron's window, tray, notifications, IPC and OS events. Every decision lives in the
// small modules next to this file, each with a test under test/main/; this file only
// connects them in the right order.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, dialog, Menu, nativeImage } from 'electron';
import { createDesktopCore } from '../client/app/create-desktop-core';
import type { DesktopCore, ShellPort } from '../client/app/desktop-core';
import type { IpcEventPayload } from '../shared/ipc/contract';
import { eventChannel, type IpcEventName } from '../shared/ipc/names';
import type { Settings } from '../shared/ipc/settings';
import { appMenuTemplate } from './app-menu';
import { applyStartAtLogin, type AutostartContext } from './autostart';
import { resolveDevServerUrl } from './dev-server';
import { openExternalSafely } from './external-links';
import { denyPermissionsByDefault, hardenAllWebContents } from './hardening';
import { createIpcHandlerTable, registerIpcHandlers } from './ipc';
import { parseLaunchArgs, profileUserDataDir, type LaunchOptions } from './launch-args';
import { MainWindow } from './main-window';
import { resolveNativeBinding } from './native-binding';
import { Notifier } from './notifier';
import { startPresenceMonitor } from './presence-monitor';
import { QuitController } from './quit-controller';
import { isRendererUrl, type RendererLocation } from './renderer-location';
import { createSafeStorageVault } from './secret-vault';
import { TrayController } from './tray';
import { BADGE_IMAGE } from './tray-images';
import { applyUnreadBadge } from './unread-badge';

/** Must equal electron-builder.yml's appId: Windows routes notification clicks by it. */
const APP_USER_MODEL_ID = 'org.courier.desktop';
/** A window hidden this long is destroyed to free the renderer's memory; showing recreates it. */
const HIDDEN_WINDOW_LIFETIME_MS = 10 * 60_000;

// Paths are relative to this bundle (out/main/index.js), which also holds inside app.asar.
const PRELOAD_PATH = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const RENDERER_HTML = fileURLToPath(new URL('../renderer/index.html', import.meta.url));

const launch = parseLaunchArgs(process.argv);
if (!launch.ok) {
  // Before 'ready' only showErrorBox works; it also prints to stderr on Linux.
  dialog.showErrorBox('Courier', launch.error);
  app.exit(2);
} else {
  const options = launch.options;
  // Before anything reads userData, and before the single-instance lock, which is taken
  // per userData folder: that is what lets two profiles run side by side.
  if (options.profile !== null) app.setPath('userData', profileUserDataDir(app.getPath('appData'), options.profile));
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  // Sandbox every renderer, including any we did not create ourselves; must precede 'ready'.
  app.enableSandbox();
  // A second copy would open a second connection and fight over the same local data, so
  // the second launch only brings the first one's window forward (the first gets
  // 'second-instance') and exits.
  if (app.requestSingleInstanceLock()) startShell(options);
  else app.quit();
}

function startShell(launchOptions: LaunchOptions): void {
  const platform = process.platform;
  const devServerUrl = resolveDevServerUrl(process.env, app.isPackaged);
  const renderer: RendererLocation = { htmlFileUrl: pathToFileURL(RENDERER_HTML).href, devServerUrl, platform };
  const iconsDir = app.isPackaged ? join(process.resourcesPath, 'icons') : join(app.getAppPath(), 'build');
  const userData = app.getPath('userData');

  let core: DesktopCore | null = null;
  let tray: TrayController | null = null;
  let unread = 0;
  const disposers: (() => void)[] = [];

  const quit = new QuitController(async () => {
    for (const dispose of disposers.splice(0).reverse()) dispose();
    await core?.close();
  });
  quit.install();

  const mainWindow = new MainWindow({
    preloadPath: PRELOAD_PATH,
    appVersion: app.getVersion(),
    load: (window) => (devServerUrl === undefined ? window.loadFile(RENDERER_HTML) : window.loadURL(devServerUrl)),
    stateFile: join(userData, 'window-state.json'),
    isQuitting: () => quit.quitting,
    closeToTray: () => core?.settings().closeToTray ?? false,
    quit: () => app.quit(),
    hiddenLifetimeMs: HIDDEN_WINDOW_LIFETIME_MS,
    onCreated: (window) => {
      showUnread();
      // Windows logout/shutdown sends no 'before-quit'; the window must not refuse to close.
      window.on('session-end', () => quit.markQuitting());
    },
    onFocus: () => notifier.onWindowFocused(),
  });

  const badgeImage = nativeImage.createFromPath(join(iconsDir, BADGE_IMAGE));
  function showUnread(): void {
    tray?.setUnread(unread);
    applyUnreadBadge(unread, { platform, window: mainWindow.get(), badgeImage: () => badgeImage });
  }

  const notifier = new Notifier({
    core: {
      settings: () => requireCore().settings(),
      myUserId: () => requireCore().myUserId(),
      conversationInfo: (id) => requireCore().conversationInfo(id),
      activeConversationId: () => requireCore().activeConversationId(),
      dispatch: (method, params) => requireCore().dispatch(method, params),
    },
    attention: () => mainWindow.attention(),
    open: (conversationId) => {
      mainWindow.show();
      mainWindow.whenLoaded((contents) => contents.send(eventChannel('navigate.conversation'), { conversationId }));
    },
    platform,
  });

  const autostart: AutostartContext = {
    platform,
    profile: launchOptions.profile,
    execPath: process.execPath,
    env: process.env,
    homeDir: app.getPath('home'),
  };
  let appliedStartAtLogin: boolean | null = null;
  function syncStartAtLogin(enabled: boolean): void {
    if (enabled === appliedStartAtLogin) return;
    appliedStartAtLogin = enabled;
    try {
      if (applyStartAtLogin(enabled, autostart, app.isPackaged) === 'unsupported' && enabled) {
        console.warn('Start at login is not available here (development run, or a named profile on macOS).');
      }
    } catch (error) {
      console.error('Courier could not change start at login:', error);
    }
  }

  const shellPort: ShellPort = {
    openExternal(url) {
      if (!openExternalSafely(url)) return Promise.reject(new Error('Only http and https links can be opened.'));
      return Promise.resolve();
    },
    // The tray menu follows the 'settings' event like everything else that mirrors settings.
    settingsChanged(settings: Settings) {
      syncStartAtLogin(settings.startAtLogin);
    },
  };

  function requireCore(): DesktopCore {
    if (core === null) throw new Error('The core is not running.');
    return core;
  }

  // The app lives in the tray: no window must not mean no app. (Having a listener is what
  // stops Electron's default of quitting here.)
  app.on('window-all-closed', () => {});
  // A second launch while we are still starting (or started --hidden) wants the window.
  let started = false;
  let showWhenStarted = false;
  app.on('second-instance', () => {
    if (started) mainWindow.show();
    else showWhenStarted = true;
  });
  // macOS: a click on the Dock icon. (Also emitted at launch, hence ignored until started.)
  app.on('activate', () => {
    if (started) mainWindow.show();
  });
  hardenAllWebContents(devServerUrl);

  app
    .whenReady()
    .then(async () => {
      denyPermissionsByDefault();
      Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(platform, { appName: app.name, isPackaged: app.isPackaged })));

      const nativeBinding = resolveNativeBinding({ isPackaged: app.isPackaged, appPath: app.getAppPath(), electronVersion: process.versions.electron });
      if (!app.isPackaged && nativeBinding === undefined) {
        console.warn('No Electron build of better-sqlite3 found; run `node scripts/electron-native.mjs` if the store fails to open.');
      }
      core = await createDesktopCore({
        profileDir: userData,
        vault: createSafeStorageVault({ dir: userData, platform, parentWindow: () => mainWindow.get() }),
        shell: shellPort,
        deviceName: `Courier on ${hostname()} (${platform}${launchOptions.profile === null ? '' : `, ${launchOptions.profile}`})`,
        ...(nativeBinding === undefined ? {} : { nativeBinding }),
        // `npm run dev` tells the app where its local server is; a packaged app never reads this.
        ...(!app.isPackaged && process.env['COURIER_SERVER_URL'] ? { defaultServerUrl: process.env['COURIER_SERVER_URL'] } : {}),
      });
      const running = core;

      disposers.push(running.subscribe((event, payload) => onCoreEvent(event, payload)));
      disposers.push(registerIpcHandlers(createIpcHandlerTable(running, { window: () => mainWindow.get(), isRendererUrl: (url) => isRendererUrl(url, renderer) })));
      disposers.push(startPresenceMonitor(running));
      disposers.push(() => notifier.dismissAll());

      const settings = running.settings();
      tray = new TrayController({
        iconsDir,
        platform,
        settings,
        actions: {
          open: () => mainWindow.show(),
          setStatus: (status) => void running.updateSettings({ status }),
          setNotificationsPaused: (paused) => void running.updateSettings({ notificationsPaused: paused }),
          quit: () => app.quit(),
        },
      });
      const createdTray = tray;
      disposers.push(() => createdTray.destroy());
      syncStartAtLogin(settings.startAtLogin);
      await refreshUnread(running);

      started = true;
      if (showWhenStarted || !startsHidden(launchOptions)) mainWindow.show();
    })
    .catch((error: unknown) => {
      console.error('Courier failed to start:', error);
      dialog.showErrorBox('Courier could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });

  function onCoreEvent<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): void {
    mainWindow.send(eventChannel(event), payload);
    switch (event) {
      case 'messages.changed':
        notifier.onMessagesChanged(payload as IpcEventPayload<'messages.changed'>);
        break;
      case 'conversations.changed':
        notifier.onConversationsChanged(payload as IpcEventPayload<'conversations.changed'>);
        break;
      case 'conversation.removed':
        notifier.onConversationRemoved(payload as IpcEventPayload<'conversation.removed'>);
        break;
      case 'blocks.changed':
        notifier.onBlocksChanged(payload as IpcEventPayload<'blocks.changed'>);
        break;
      case 'account':
        // Signed out: nothing of the old account may stay on screen. Signed in: the notifier reads the block list.
        notifier.onAccountChanged(payload as IpcEventPayload<'account'>);
        break;
      case 'unread':
        unread = (payload as IpcEventPayload<'unread'>).total;
        showUnread();
        break;
      case 'settings':
        tray?.setSettings(payload as IpcEventPayload<'settings'>);
        break;
      default:
        break;
    }
  }

  /** The count at start: the core emitted its first 'unread' before we subscribed. */
  async function refreshUnread(running: DesktopCore): Promise<void> {
    const result = await running.dispatch('conversations.list', null);
    if (!result.ok || !Array.isArray(result.value)) return;
    const conversations = result.value as IpcEventPayload<'conversations.changed'>['conversations'];
    unread = conversations.reduce((sum, c) => sum + (c.muted ? 0 : c.unread), 0);
    showUnread();
  }
}

/** --hidden (our login item on Windows and Linux), or macOS's own login-item launch. */
function startsHidden(options: LaunchOptions): boolean {
  if (options.hidden) return true;
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}
