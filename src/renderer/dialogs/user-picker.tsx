import { useEffect, useId, useMemo, useState, type KeyboardEvent, type ReactElement } from 'react';
import { shownName } from '../../shared/confusable';
import { named } from '../state/people-names';
import { useApp } from '../state/app-context';
import type { User } from '../state/types';
import { useStore } from '../state/use-store';
import { Avatar } from '../ui/avatar';
import { SimilarName } from '../ui/similar-name';
import { moveIndex, UserSearch } from './user-search';
import './dialogs.css';

export interface UserPickerProps {
  /** The search field's label, e.g. "Search people". */
  label: string;
  /** People not to offer (already picked, already members). Myself is never offered. */
  exclude?: readonly string[];
  onPick: (user: User) => void;
  /** Empty the field after a pick (to pick several people in a row). */
  clearOnPick?: boolean;
  disabled?: boolean;
  placeholder?: string;
  /** Shown under the field, e.g. why picking is disabled. */
  hint?: string;
  /** People shown next to the results (the ones picked so far): a result that looks like one of them is marked too. */
  beside?: readonly User[];
}

const NOBODY: readonly User[] = [];

/**
 * People search: a combobox whose listbox holds the matches. ↑/↓ move the highlight,
 * Enter picks, a click picks too. Results of older keystrokes never overwrite newer ones
 * (see UserSearch).
 */
export function UserPicker({ label, exclude = [], onPick, clearOnPick = true, disabled = false, placeholder, hint, beside = NOBODY }: UserPickerProps): ReactElement {
  const app = useApp();
  const me = app.myUserId;
  const [search] = useState(() => new UserSearch((q) => app.conversations.searchUsers(q), { exclude: me === null ? [] : [me] }));
  useEffect(() => () => search.dispose(), [search]);
  const { query, status, results, error } = useStore(search);
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;

  const excludeKey = exclude.join('\n');
  const visible = useMemo(() => {
    const hidden = new Set(excludeKey.split('\n'));
    return results.filter((u) => !hidden.has(u.id));
  }, [results, excludeKey]);
  // Results whose names look alike (or like someone in the user's conversations) are marked.
  const ambiguous = useMemo(() => app.conversations.names.among([...visible, ...beside]), [app, visible, beside]);
  // The highlight belongs to one list of results; new results start at the top again.
  const [highlight, setHighlight] = useState<{ list: readonly User[]; index: number }>({ list: visible, index: 0 });
  const active = highlight.list === visible ? highlight.index : 0;
  const activeUser = visible[active];

  function pick(user: User): void {
    onPick(user);
    if (clearOnPick) search.setQuery('');
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setHighlight({ list: visible, index: moveIndex(active, e.key === 'ArrowDown' ? 1 : -1, visible.length) });
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (activeUser) pick(activeUser);
    }
  }

  const expanded = visible.length > 0;
  const optionId = (i: number): string => `${id}-opt-${i}`;

  return (
    <div className="user-picker">
      <label className="field">
        <span className="field__label">{label}</span>
        <input
          className="input"
          type="text"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={expanded && activeUser ? optionId(active) : undefined}
          aria-describedby={hint ? hintId : undefined}
          value={query}
          placeholder={placeholder ?? 'Name or username'}
          disabled={disabled}
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          onChange={(e) => search.setQuery(e.target.value)}
          onKeyDown={onKeyDown}
        />
      </label>
      {hint && (
        <p id={hintId} className="field__hint user-picker__hint">
          {hint}
        </p>
      )}
      <ul id={listId} role="listbox" aria-label="People found" className="user-picker__list" hidden={!expanded}>
        {visible.map((u, i) => (
          <li
            key={u.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={`user-picker__option${i === active ? ' user-picker__option--active' : ''}`}
            // Keep the focus in the field: the list is driven from there.
            onMouseDown={(e) => e.preventDefault()}
            onMouseMove={() => i !== active && setHighlight({ list: visible, index: i })}
            onClick={() => pick(u)}
          >
            <Avatar name={shownName(named(u))} seed={u.id} size={30} />
            <span className="user-picker__names">
              <span className="user-picker__name" dir="auto">
                {shownName(named(u))}
              </span>
              <span className="user-picker__username">
                @{u.username}
                {ambiguous.has(u.id) && (
                  <>
                    {' '}
                    <SimilarName />
                  </>
                )}
              </span>
            </span>
          </li>
        ))}
      </ul>
      <div role="status" className="user-picker__status">
        {status === 'loading' ? 'Searching…' : status === 'done' && visible.length === 0 ? 'No one found' : ''}
        {status === 'done' && visible.length > 0 && <span className="visually-hidden">{visible.length === 1 ? '1 person found' : `${visible.length} people found`}</span>}
      </div>
      {status === 'error' && (
        <div role="alert" className="form-error user-picker__error">
          {error}{' '}
          <button type="button" className="user-picker__retry" onClick={() => search.retry()}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}
