import type {
  IpcEventName,
  IpcEventPayload,
  IpcMethodName,
  IpcResult,
  Settings,
  SettingsPatch,
} from '../../shared/ipc';

/**
 * Everything the desktop app does that does not need Electron, behind one object the
 * Electron main process (src/main) composes with its native APIs. The browser test
 * harness composes the very same core with a WebSocket instead of Electron IPC, so only
 * the transport differs between the two.
 */

/** Where the refresh token lives between runs (Electron: safeStorage; tests: a file or memory). */
export interface SecretVault {
  read(): Promise<string | null>;
  /** null deletes the secret. */
  write(secret: string | null): Promise<void>;
}

/** What only the host (Electron or the harness) can do, called by IPC handlers. */
export interface ShellPort {
  /** Open an already-validated http(s) URL in the system browser. */
  openExternal(url: string): Promise<void>;
  /** Called after settings change (start at login, theme...) so the host can apply them. */
  settingsChanged(settings: Settings): void;
}

export type CoreEventListener = <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => void;

export interface DesktopCoreOptions {
  /** The profile's folder (Electron's userData, one per --profile). */
  profileDir: string;
  vault: SecretVault;
  shell: ShellPort;
  /** Shown in the user's session list, e.g. "Courier on alice-laptop (linux)". */
  deviceName: string;
  /** better-sqlite3 `nativeBinding`: the Electron-ABI build when running inside Electron. */
  nativeBinding?: string;
  /** The server the sign-in screen offers when none was used yet (`npm run dev` passes its local server). */
  defaultServerUrl?: string;
}

export interface DesktopCore {
  /**
   * Validates `params` with the contract's schema and runs the handler. Never throws:
   * bad arguments and failures come back as `{ ok: false, error }`.
   */
  dispatch(method: IpcMethodName, params: unknown): Promise<IpcResult<unknown>>;
  /**
   * Every engine and settings event, in order; returns the unsubscribe function. A new
   * subscriber first receives the latest `connection`, `account`, `unread` and `outbox`.
   */
  subscribe(listener: CoreEventListener): () => void;

  settings(): Settings;
  updateSettings(patch: SettingsPatch): Settings;
  /** The conversation the window shows, as last reported by the renderer (null: none or hidden). */
  activeConversationId(): string | null;
  /** My user id while signed in: notifications skip my own messages. */
  myUserId(): string | null;
  /** The conversation's muted flag and title for a notification; null if unknown. */
  conversationInfo(conversationId: string): { title: string; muted: boolean } | null;

  /** OS resume, screen unlock, network online: try to connect now instead of waiting out a backoff. */
  reconnectNow(reason: string): void;
  /** OS idle time crossed the away threshold (true) or the user is back (false). */
  setIdle(idle: boolean): void;

  /** Stops the engine and closes the local store (app quit). */
  close(): Promise<void>;
}
