import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuthResponse } from '../../shared/protocol';
import type { Account, ConnectionState, UserStatus } from '../../shared/ipc';
import type { CoreEventListener, SecretVault } from '../app/desktop-core';
import { CourierError } from '../errors';
import { CourierHttp } from '../http-api';
import { openLocalStore } from '../store/sqlite-local-store';
import { readAccount, writeAccount, databasePath, deleteDatabase } from './account-file';
import { ActiveSession, type ConnectionTuning } from './active-session';
import { SessionTokens } from './session-tokens';

export interface EngineOptions {
  profileDir: string;
  vault: SecretVault;
  deviceName: string;
  /** better-sqlite3 `nativeBinding` (the Electron-ABI build inside Electron). */
  nativeBinding?: string;
  /** Latest entries fetched at catch-up for a conversation this device has never seen (default 200). */
  backlog?: number;
  connection?: ConnectionTuning;
  emit: CoreEventListener;
}

const SIGNED_OUT: ConnectionState = Object.freeze({ status: 'signedOut', attempt: 0, nextRetryAt: null, error: null });

/**
 * The desktop app's engine: who is signed in, and the one ActiveSession that keeps that
 * account's local store in step with the server. It survives restarts by itself: the
 * account file and the vault's refresh token are enough to resume without asking.
 */
export class CourierEngine {
  private active: ActiveSession | null = null;
  /** Known when signed out after a rejected session, so the UI can offer to sign in again. */
  private lastAccount: Account | null = null;
  private connectionState: ConnectionState = SIGNED_OUT;
  private status: UserStatus = 'online';
  private idle = false;

  private constructor(private readonly o: EngineOptions) {}

  /** Opens the profile and, if it holds a session, starts connecting. */
  static async open(o: EngineOptions): Promise<CourierEngine> {
    const engine = new CourierEngine(o);
    const account = readAccount(o.profileDir);
    engine.lastAccount = account;
    const refreshToken = account ? await o.vault.read() : null;
    if (account && refreshToken) {
      const http = new CourierHttp(account.serverUrl);
      o.emit('account', account);
      engine.startSession(account, new SessionTokens(http, o.vault, refreshToken), http);
    } else {
      o.emit('account', account);
      engine.setConnection(SIGNED_OUT);
    }
    return engine;
  }

  get account(): Account | null {
    return this.active?.account ?? this.lastAccount;
  }

  get connection(): ConnectionState {
    return this.connectionState;
  }

  /** The signed-in session; throws a user-facing error when there is none. */
  get session(): ActiveSession {
    if (!this.active) throw new CourierError('auth_required', 'Sign in first.');
    return this.active;
  }

  get signedIn(): boolean {
    return this.active !== null;
  }

  async signIn(serverUrl: string, username: string, password: string): Promise<Account> {
    const http = new CourierHttp(serverUrl);
    return this.adopt(http, await http.login({ username, password, deviceName: this.o.deviceName }));
  }

  async register(serverUrl: string, username: string, password: string, displayName?: string): Promise<Account> {
    const http = new CourierHttp(serverUrl);
    const input = { username, password, deviceName: this.o.deviceName, ...(displayName ? { displayName } : {}) };
    return this.adopt(http, await http.register(input));
  }

  /** Ends the session on the server (best effort) and deletes this account's data from the machine. */
  async signOut(): Promise<void> {
    const active = this.active;
    const account = this.account;
    if (active) {
      await Promise.race([active.logout().catch(() => {}), new Promise((r) => setTimeout(r, 3000).unref())]);
      this.active = null;
      await active.close();
    }
    await this.o.vault.write(null);
    writeAccount(this.o.profileDir, null);
    if (account) deleteDatabase(databasePath(this.o.profileDir, account));
    this.lastAccount = null;
    this.setConnection(SIGNED_OUT);
    this.o.emit('account', null);
  }

  reconnectNow(reason: string): void {
    this.active?.connection.reconnectNow(reason);
  }

  setStatus(status: UserStatus): void {
    this.status = status;
    this.applyPresence();
  }

  setIdle(idle: boolean): void {
    this.idle = idle;
    this.applyPresence();
  }

  async close(): Promise<void> {
    const active = this.active;
    this.active = null;
    await active?.close();
  }

  private async adopt(http: CourierHttp, auth: AuthResponse): Promise<Account> {
    const account: Account = {
      serverUrl: http.baseUrl,
      userId: auth.user.id,
      username: auth.user.username,
      displayName: auth.user.displayName,
      sessionId: auth.tokens.sessionId,
    };
    if (this.active) {
      const previous = this.active;
      this.active = null;
      await previous.close();
    }
    // Refresh token first: if we crash after this, the next start resumes the session.
    const tokens = await SessionTokens.fromSignIn(http, this.o.vault, auth.tokens);
    writeAccount(this.o.profileDir, account);
    this.lastAccount = account;
    this.startSession(account, tokens, http);
    this.o.emit('account', account);
    return account;
  }

  private startSession(account: Account, tokens: SessionTokens, http: CourierHttp): void {
    const file = databasePath(this.o.profileDir, account);
    mkdirSync(dirname(file), { recursive: true });
    const store = openLocalStore(file, this.o.nativeBinding ? { nativeBinding: this.o.nativeBinding } : {});
    const session: ActiveSession = new ActiveSession({
      account,
      store,
      tokens,
      http,
      backlog: this.o.backlog ?? 200,
      ...(this.o.connection ? { connection: this.o.connection } : {}),
      emit: (event, payload) => {
        if (event === 'connection') this.connectionState = payload as ConnectionState;
        this.o.emit(event, payload);
      },
      onSessionEnded: () => {
        // The server refused our session (revoked, or signed out elsewhere). Keep the
        // account and its data (the outbox survives a sign-in as the same user) but stop.
        if (this.active !== session) return;
        this.active = null;
        void session.close();
      },
    });
    this.active = session;
    session.start();
    this.applyPresence();
  }

  private applyPresence(): void {
    this.active?.setPresence(this.status === 'away' || this.idle ? 'away' : 'online');
  }

  private setConnection(state: ConnectionState): void {
    this.connectionState = state;
    this.o.emit('connection', state);
  }
}
