import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { unblockQuestion } from '../format/blocking';
import { shownPerson } from '../format/names';
import { named } from '../state/people-names';
import { useApp } from '../state/app-context';
import { errorMessage } from '../state/bridge';
import { useStore } from '../state/use-store';
import { Confirm } from '../ui/confirm';

/** The people this account blocked (name, @username), each with Unblock (confirmed), or a line saying there are none. */
export function BlockedSection({ headingId }: { headingId: string }): ReactElement {
  const app = useApp();
  const { loaded, users } = useStore(app.blocks);
  // Conversations change far more often than this list; what they add here (someone known
  // with the same name) is read when the list is.
  const ambiguous = useMemo(() => app.conversations.names.among(users), [app, users]);
  const [asking, setAsking] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const closed = useRef<string | null>(null);

  // A confirmation that closes gives the focus back to its row's button, or to the heading
  // when the row left with the person.
  useEffect(() => {
    const userId = closed.current;
    if (asking !== null || userId === null) return;
    closed.current = null;
    const button = [...(listRef.current?.querySelectorAll<HTMLElement>('[data-unblock]') ?? [])].find((b) => b.dataset['unblock'] === userId);
    (button ?? headingRef.current)?.focus();
  }, [asking, users]);

  function close(): void {
    closed.current = asking;
    setAsking(null);
  }

  async function unblock(userId: string): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await app.blocks.unblock(userId);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
      close();
    }
  }

  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId} ref={headingRef} tabIndex={-1} className="settings-section__title">
        Blocked people
      </h3>
      {error !== null && (
        <p className="form-error" role="alert">
          Couldn't unblock: {error}
        </p>
      )}
      {!loaded ? (
        <p className="settings-muted" role="status">
          Loading…
        </p>
      ) : users.length === 0 ? (
        <p className="settings-muted">Nobody. Block someone from their contact info, their message request, or a group’s member list.</p>
      ) : (
        <ul ref={listRef} className="settings-list" aria-labelledby={headingId}>
          {users.map((u) => {
            // The row shows the @username anyway; what is read on its own (the button, the question) says it too where the name could mislead.
            const shown = shownPerson(named(u), ambiguous.has(u.id));
            const name = shown.text;
            return (
              <li key={u.id} className="settings-list__item">
                <div className="settings-list__row">
                  <span className="settings-person">
                    <span className="settings-person__name" dir="auto">
                      {shown.name}
                    </span>
                    <span className="settings-person__username">@{u.username}</span>
                  </span>
                  {asking !== u.id && (
                    <button type="button" className="btn btn--secondary" aria-label={`Unblock ${name}`} data-unblock={u.id} onClick={() => setAsking(u.id)}>
                      Unblock
                    </button>
                  )}
                </div>
                {asking === u.id && <Confirm text={unblockQuestion(name)} confirmLabel="Unblock" busy={busy} onConfirm={() => void unblock(u.id)} onCancel={close} />}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
