import type { Account, ConnectionState, OutboxSummary, Presence, PresenceStatus, ServerInfo, Settings, SettingsPatch, SessionInfo } from './types';
import type { Courier } from './bridge';
import { Store } from './store';

export interface SessionState {
  /** False until the first `session.get` answered: the UI shows nothing rather than a wrong screen. */
  loaded: boolean;
  account: Account | null;
  connection: ConnectionState;
  outbox: OutboxSummary;
  unreadTotal: number;
  settings: Settings | null;
}

const INITIAL: SessionState = {
  loaded: false,
  account: null,
  connection: { status: 'signedOut', attempt: 0, nextRetryAt: null, error: null },
  outbox: { pending: 0, failed: 0 },
  unreadTotal: 0,
  settings: null,
};

/** How others see me: the server never echoes my own presence, so it is derived here. */
export function myPresence(s: Pick<SessionState, 'connection' | 'settings'>): PresenceStatus {
  if (s.connection.status !== 'online') return 'offline';
  return s.settings?.status === 'away' ? 'away' : 'online';
}

/** Who is signed in, the connection, the outbox and unread counters, and the app settings. */
export class SessionStore extends Store<SessionState> {
  private readonly disposers: Array<() => void> = [];

  constructor(private readonly courier: Courier) {
    super(INITIAL);
    this.disposers.push(
      courier.on('connection', (connection) => this.update({ connection })),
      courier.on('account', (account) => this.update({ account })),
      courier.on('outbox', (outbox) => this.update({ outbox })),
      courier.on('unread', ({ total }) => this.update({ unreadTotal: total })),
      courier.on('settings', (settings) => this.update({ settings })),
    );
  }

  /** Everyone's presence as `session.get` reported it when the window opened. */
  initialPresence: readonly Presence[] = [];

  async load(): Promise<void> {
    const [session, settings] = await Promise.all([this.courier.call('session.get', null), this.courier.call('settings.get', null)]);
    this.initialPresence = session.presence;
    this.update({ loaded: true, account: session.account, connection: session.connection, outbox: session.outbox, settings });
  }

  async signIn(serverUrl: string, username: string, password: string): Promise<Account> {
    const account = await this.courier.call('session.signIn', { serverUrl, username, password });
    this.update({ account });
    return account;
  }

  async register(serverUrl: string, username: string, password: string, displayName?: string): Promise<Account> {
    const params = displayName ? { serverUrl, username, password, displayName } : { serverUrl, username, password };
    const account = await this.courier.call('session.register', params);
    this.update({ account });
    return account;
  }

  async signOut(): Promise<void> {
    await this.courier.call('session.signOut', null);
    this.update({ account: null });
  }

  serverInfo(serverUrl: string): Promise<ServerInfo> {
    return this.courier.call('server.info', { serverUrl });
  }

  sessions(): Promise<SessionInfo[]> {
    return this.courier.call('session.list', null);
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.courier.call('session.revoke', { sessionId });
  }

  async updateSettings(patch: SettingsPatch): Promise<void> {
    const settings = await this.courier.call('settings.update', patch);
    this.update({ settings });
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }
}
