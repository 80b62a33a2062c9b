import type { SessionInfo } from '../state/types';
import { errorMessage } from '../state/bridge';
import { Store } from '../state/store';

/** What the list needs from the session store (tests script it). */
export interface SessionsPort {
  sessions(): Promise<SessionInfo[]>;
  revokeSession(sessionId: string): Promise<void>;
}

export interface SessionsState {
  status: 'loading' | 'ready' | 'error';
  /** This device first, then by last activity. */
  sessions: readonly SessionInfo[];
  error: string | null;
  /** The session whose "Revoke" asks for confirmation. */
  confirming: string | null;
  revoking: string | null;
  revokeError: string | null;
}

function byRecency(a: SessionInfo, b: SessionInfo): number {
  return Number(b.current) - Number(a.current) || b.lastSeenAt - a.lastSeenAt;
}

/**
 * The account's signed-in devices, with a two-step revoke (ask, then confirm). A reload
 * answered after a newer one was started is dropped.
 */
export class SessionsStore extends Store<SessionsState> {
  private latest = 0;
  /** Bumped by dispose(): answers to earlier requests are dropped, later requests work (React's strict mode remounts). */
  private generation = 0;

  constructor(private readonly port: SessionsPort) {
    super({ status: 'loading', sessions: [], error: null, confirming: null, revoking: null, revokeError: null });
  }

  async load(): Promise<void> {
    const id = ++this.latest;
    this.update({ status: 'loading', error: null });
    try {
      const sessions = [...(await this.port.sessions())].sort(byRecency);
      if (id !== this.latest) return;
      const confirming = sessions.some((s) => s.id === this.current.confirming) ? this.current.confirming : null;
      this.update({ status: 'ready', sessions, confirming });
    } catch (error) {
      if (id !== this.latest) return;
      this.update({ status: 'error', error: errorMessage(error) });
    }
  }

  askRevoke(sessionId: string): void {
    const target = this.current.sessions.find((s) => s.id === sessionId);
    if (!target || target.current) return;
    this.update({ confirming: sessionId, revokeError: null });
  }

  cancelRevoke(): void {
    this.update({ confirming: null, revokeError: null });
  }

  async confirmRevoke(): Promise<void> {
    const sessionId = this.current.confirming;
    if (sessionId === null || this.current.revoking !== null) return;
    this.update({ revoking: sessionId, revokeError: null });
    const generation = this.generation;
    try {
      await this.port.revokeSession(sessionId);
      if (generation !== this.generation) return;
      this.update({ revoking: null, confirming: null, sessions: this.current.sessions.filter((s) => s.id !== sessionId) });
      await this.load();
    } catch (error) {
      if (generation === this.generation) this.update({ revoking: null, revokeError: errorMessage(error) });
    }
  }

  dispose(): void {
    this.generation++;
    this.latest++;
  }
}
