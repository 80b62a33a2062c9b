import { useState, type ReactElement } from 'react';
import { conversationTitle, shownPerson, SOMEONE, type ShownPerson } from '../format/names';
import { useApp } from '../state/app-context';
import { errorMessage } from '../state/bridge';
import type { IncomingRequest } from '../state/consent';
import type { LocalConversation } from '../state/types';
import { Confirm } from '../ui/confirm';
import { PersonName } from '../ui/person-name';
import './conversation.css';

type Asking = 'block' | 'decline' | null;

/**
 * In place of the composer while the user has not answered a request (a DM from someone
 * new) or an invitation (a group): who asks, what accepting changes, and Block, Delete /
 * Decline, Accept. Accepting brings the composer back, which takes the focus; a refusal
 * from main is shown here.
 */
export function RequestBar({ conversation: c, request }: { conversation: LocalConversation; request: IncomingRequest }): ReactElement {
  const app = useApp();
  const [asking, setAsking] = useState<Asking>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const from = request.from;
  const names = app.namesOf(c);
  // A request's intro always gives the handle; elsewhere (the questions, an invitation) the
  // asker is named as the sidebar would: with the handle where their name collides with
  // anyone's in the user's conversations.
  const who = from ? (c.kind === 'direct' ? (names.peer ?? shownPerson(from, true)) : app.conversations.names.standalone(from)) : null;
  const name = who?.text ?? SOMEONE;
  const direct = request.kind === 'direct';
  const title = conversationTitle(c, names);

  async function run(action: () => Promise<unknown>, leave: boolean): Promise<void> {
    setAsking(null);
    setBusy(true);
    setError(null);
    try {
      await action();
      // Declined or blocked: the conversation is gone from this device (its removal follows as an event too).
      if (leave) app.ui.openConversation(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const accept = (): Promise<void> => run(() => app.conversations.accept(c.id), false);
  const decline = (): Promise<void> => run(() => app.conversations.decline(c.id), true);
  const block = (): Promise<void> => (from ? run(() => app.blocks.block(from.userId), true) : Promise.resolve());

  return (
    <section className="request-bar" aria-label={direct ? 'Message request' : 'Group invitation'}>
      {direct ? (
        <p className="request-bar__text">
          <Asker who={from ? shownPerson(from, true) : null} /> wants to message you. They won’t see that you’ve read their messages or when you’re online until you accept.
        </p>
      ) : (
        <>
          <p className="request-bar__text">
            {who ? (
              <>
                <strong>
                  <PersonName person={who} />
                </strong>{' '}
                invited you to{' '}
              </>
            ) : (
              'You were invited to '
            )}
            <strong dir="auto">{title}</strong>
          </p>
          <p className="request-bar__hint">Until you accept, no one in the group sees that you’ve read their messages or when you’re online.</p>
        </>
      )}
      {error !== null && (
        <p className="request-bar__error" role="alert">
          {error}
        </p>
      )}
      {asking === 'block' && from ? (
        <Confirm
          text={`Block ${name}? They won’t be able to message you or add you to groups, and this ${direct ? 'request will be deleted' : 'invitation will be declined'}.`}
          confirmLabel="Block"
          busy={busy}
          onConfirm={() => void block()}
          onCancel={() => setAsking(null)}
        />
      ) : asking === 'decline' ? (
        <Confirm
          text={`Delete this request? ${name} won’t be able to message you again unless you message them.`}
          confirmLabel="Delete"
          busy={busy}
          onConfirm={() => void decline()}
          onCancel={() => setAsking(null)}
        />
      ) : (
        <div className="request-bar__actions">
          {from && (
            <button type="button" className="btn btn--secondary btn--danger-text" disabled={busy} onClick={() => setAsking('block')}>
              {direct ? 'Block' : `Block ${name}`}
            </button>
          )}
          {direct ? (
            <button type="button" className="btn btn--secondary btn--danger-text" disabled={busy} onClick={() => setAsking('decline')}>
              Delete
            </button>
          ) : (
            // An invitation can come again, so declining one is not confirmed.
            <button type="button" className="btn btn--secondary" disabled={busy} onClick={() => void decline()}>
              Decline
            </button>
          )}
          <button type="button" className="btn" disabled={busy} aria-busy={busy} onClick={() => void accept()}>
            Accept
          </button>
        </div>
      )}
    </section>
  );
}

/** "**Ann** (@ann)": the name in bold and isolated, the handle beside it, always. */
function Asker({ who }: { who: ShownPerson | null }): ReactElement {
  if (who === null) return <strong>{SOMEONE}</strong>;
  return (
    <>
      <strong>
        <bdi>{who.name}</bdi>
      </strong>{' '}
      (@{who.handle})
    </>
  );
}
