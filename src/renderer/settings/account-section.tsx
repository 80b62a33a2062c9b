import { useEffect, useRef, useState, type ReactElement } from 'react';
import { errorMessage } from '../state/bridge';
import { useApp } from '../state/app-context';
import { useStore } from '../state/use-store';
import { hostOf } from '../sign-in/server-address';

/** Who is signed in where, and signing out (confirmed: it deletes this account's data here). */
export function AccountSection({ headingId }: { headingId: string }): ReactElement {
  const app = useApp();
  const { account } = useStore(app.session);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signOutRef = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (confirming || !refocus.current) return;
    refocus.current = false;
    signOutRef.current?.focus();
  }, [confirming]);

  async function signOut(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      // On success the `account` event swaps the window to the sign-in screen.
      await app.signOut();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  function cancel(): void {
    // Focus goes back to the Sign out button once it is rendered again.
    refocus.current = true;
    setConfirming(false);
    setError(null);
  }

  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="settings-section__title">
        Account
      </h3>
      {account && (
        <p className="settings-account">
          Signed in as <strong>{account.displayName ?? account.username}</strong>
          {account.displayName !== null && <span className="settings-muted"> ({account.username})</span>} on <strong>{hostOf(account.serverUrl)}</strong>
        </p>
      )}
      {!confirming ? (
        <button ref={signOutRef} type="button" className="btn btn--danger" onClick={() => setConfirming(true)}>
          Sign out
        </button>
      ) : (
        <div className="settings-confirm" role="group" aria-label="Sign out">
          <p className="settings-confirm__text">
            Signing out removes this account's message history and any unsent messages from this computer. Your messages stay on the server; sign in again to get them back.
          </p>
          {error && (
            <p className="form-error" role="alert">
              Couldn't sign out: {error}
            </p>
          )}
          <div className="settings-confirm__actions">
            <button type="button" className="btn btn--danger" disabled={busy} aria-busy={busy} onClick={() => void signOut()} autoFocus>
              {busy ? 'Signing out…' : 'Sign out and remove data'}
            </button>
            <button type="button" className="btn btn--secondary" disabled={busy} onClick={cancel}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
