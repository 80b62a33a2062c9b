import { useState, type ReactElement } from 'react';
import { unblockQuestion } from '../format/blocking';
import type { ShownPerson } from '../format/names';
import { useApp } from '../state/app-context';
import { errorMessage } from '../state/bridge';
import type { Member } from '../state/types';
import { Confirm } from '../ui/confirm';
import { PersonName } from '../ui/person-name';
import './conversation.css';

/** In place of the composer in a direct chat with someone the user blocked: say so, and offer Unblock (confirmed). */
export function BlockedBar({ peer, name }: { peer: Member; name: ShownPerson }): ReactElement {
  const app = useApp();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function unblock(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await app.blocks.unblock(peer.userId);
    } catch (e) {
      setError(errorMessage(e));
      setAsking(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="request-bar" aria-label="Blocked">
      <p className="request-bar__text">
        You blocked{' '}
        <strong>
          <PersonName person={name} />
        </strong>
        . Unblock them to send messages.
      </p>
      {error !== null && (
        <p className="request-bar__error" role="alert">
          {error}
        </p>
      )}
      {asking ? (
        <Confirm text={unblockQuestion(name.text)} confirmLabel="Unblock" busy={busy} onConfirm={() => void unblock()} onCancel={() => setAsking(false)} />
      ) : (
        <div className="request-bar__actions">
          <button type="button" className="btn" onClick={() => setAsking(true)}>
            Unblock
          </button>
        </div>
      )}
    </section>
  );
}
