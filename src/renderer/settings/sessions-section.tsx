import { useEffect, useState, type ReactElement } from 'react';
import { relativeTime } from '../format/names';
import { useApp, useNow } from '../state/app-context';
import type { SessionInfo } from '../state/types';
import { useStore } from '../state/use-store';
import { SessionsStore } from './sessions-store';

function createdDate(ts: number): string {
  return new Date(ts).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** The devices signed in to this account, with Revoke (confirmed inline) for the others. */
export function SessionsSection({ headingId }: { headingId: string }): ReactElement {
  const app = useApp();
  const [store] = useState(() => new SessionsStore(app.session));
  useEffect(() => {
    void store.load();
    return () => store.dispose();
  }, [store]);
  const state = useStore(store);
  const now = useNow(60_000);

  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <div className="settings-section__head">
        <h3 id={headingId} className="settings-section__title">
          Active sessions
        </h3>
        <button type="button" className="btn btn--secondary settings-section__action" onClick={() => void store.load()} disabled={state.status === 'loading'}>
          Refresh
        </button>
      </div>
      {state.status === 'loading' && state.sessions.length === 0 && (
        <p className="settings-muted" role="status">
          Loading sessions…
        </p>
      )}
      {state.status === 'error' && (
        <p className="form-error" role="alert">
          Couldn't load the sessions: {state.error}
        </p>
      )}
      {state.sessions.length > 0 && (
        <ul className="settings-list" aria-label="Devices signed in to this account" aria-busy={state.status === 'loading'}>
          {state.sessions.map((s) => (
            <SessionRow key={s.id} session={s} now={now} store={store} />
          ))}
        </ul>
      )}
    </section>
  );
}

function SessionRow({ session, now, store }: { session: SessionInfo; now: number; store: SessionsStore }): ReactElement {
  const { confirming, revoking, revokeError } = useStore(store);
  const asking = confirming === session.id;
  const busy = revoking === session.id;
  return (
    <li className="settings-list__item settings-session">
      <div className="settings-session__row">
        <div className="settings-session__text">
          <span className="settings-session__device">
            {session.deviceName}
            {session.current && <span className="settings-tag">This device</span>}
          </span>
          <span className="settings-muted">
            Last active {relativeTime(session.lastSeenAt, now)} · Signed in {createdDate(session.createdAt)}
          </span>
        </div>
        {!session.current && !asking && (
          <button type="button" className="btn btn--secondary" aria-label={`Revoke ${session.deviceName}`} onClick={() => store.askRevoke(session.id)}>
            Revoke
          </button>
        )}
      </div>
      {asking && (
        <div className="settings-confirm" role="group" aria-label={`Revoke ${session.deviceName}`}>
          <p className="settings-confirm__text">{session.deviceName} will be signed out at once and must sign in again.</p>
          {revokeError && (
            <p className="form-error" role="alert">
              Couldn't revoke the session: {revokeError}
            </p>
          )}
          <div className="settings-confirm__actions">
            <button type="button" className="btn btn--danger" disabled={busy} aria-busy={busy} onClick={() => void store.confirmRevoke()} autoFocus>
              {busy ? 'Revoking…' : 'Revoke session'}
            </button>
            <button type="button" className="btn btn--secondary" disabled={busy} onClick={() => store.cancelRevoke()}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </li>
  );
}
