import { useId, useMemo, useState, type FormEvent, type ReactElement } from 'react';
import { MAX_GROUP_MEMBERS, MAX_TITLE_LENGTH } from '../../shared/protocol/limits';
import { shownPerson } from '../format/names';
import { named } from '../state/people-names';
import { errorMessage } from '../state/bridge';
import { useApp } from '../state/app-context';
import type { User } from '../state/types';
import { Avatar } from '../ui/avatar';
import { Dialog } from '../ui/dialog';
import { Icon } from '../ui/icons';
import { PersonName } from '../ui/person-name';
import { validGroupTitle } from './group-title';
import { UserPicker } from './user-picker';
import './dialogs.css';

/** Name a group, pick its first members, create it and open it. */
export function NewGroupDialog(): ReactElement {
  const app = useApp();
  const [title, setTitle] = useState('');
  const [picked, setPicked] = useState<User[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const valid = validGroupTitle(title);
  // Chips show a name only: the handle goes beside it where two picked people (or one and
  // someone the user knows) look alike.
  const ambiguous = useMemo(() => app.conversations.names.among(picked), [app, picked]);
  // I am the first member.
  const full = picked.length >= MAX_GROUP_MEMBERS - 1;

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (valid === null || busy) return;
    setBusy(true);
    setError(null);
    try {
      const c = await app.conversations.createGroup(
        valid,
        picked.map((u) => u.id),
      );
      app.ui.openConversation(c.id);
      app.ui.closePanel();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  function remove(user: User, index: number): void {
    setPicked((list) => list.filter((u) => u.id !== user.id));
    // The removed chip's button is gone; keep the focus nearby rather than losing it to the page.
    requestAnimationFrame(() => {
      const chips = document.querySelectorAll<HTMLButtonElement>(`[data-chips="${id}"] button`);
      (chips[Math.min(index, chips.length - 1)] ?? document.getElementById(`${id}-title`))?.focus();
    });
  }

  return (
    <Dialog title="New group" onClose={() => app.ui.closePanel()} className="new-group-dialog">
      <form className="dialog-form" onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span className="field__label">Group name</span>
          <input
            id={`${id}-title`}
            className="input"
            type="text"
            value={title}
            required
            aria-required="true"
            maxLength={MAX_TITLE_LENGTH}
            autoComplete="off"
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>

        <div className="field">
          <span className="field__label" id={`${id}-members`}>
            Members {picked.length > 0 && <span className="dialog-form__count">({picked.length + 1} with you)</span>}
          </span>
          {picked.length > 0 ? (
            <ul className="chips" aria-labelledby={`${id}-members`} data-chips={id}>
              {picked.map((u, i) => {
                const shown = shownPerson(named(u), ambiguous.has(u.id));
                return (
                  <li key={u.id} className="chip">
                    <Avatar name={shown.name} seed={u.id} size={22} />
                    <PersonName person={shown} className="chip__name" />
                    <button type="button" className="chip__remove" aria-label={`Remove ${shown.text}`} title={`Remove ${shown.text}`} onClick={() => remove(u, i)}>
                      <Icon name="close" size={14} />
                    </button>
                  </li>
                );
              })}
            </ul>
          ) : (
            <p className="field__hint">Add people now or later. Only you so far.</p>
          )}
        </div>

        <UserPicker
          label="Add people"
          exclude={picked.map((u) => u.id)}
          beside={picked}
          onPick={(u) => setPicked((list) => (list.some((x) => x.id === u.id) || full ? list : [...list, u]))}
          disabled={full}
          {...(full ? { hint: `A group has at most ${MAX_GROUP_MEMBERS} members.` } : {})}
        />

        {error !== null && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}

        <div className="dialog-form__actions">
          <button type="button" className="btn btn--secondary" onClick={() => app.ui.closePanel()}>
            Cancel
          </button>
          <button type="submit" className="btn" disabled={valid === null || busy}>
            {busy ? 'Creating…' : 'Create group'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
