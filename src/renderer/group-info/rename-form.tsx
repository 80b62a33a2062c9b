import { useEffect, useRef, useState, type ReactElement } from 'react';
import { MAX_TITLE_LENGTH } from '../../shared/protocol/limits';
import { validGroupTitle } from '../dialogs/group-title';

/** The group name, edited in place: Enter saves, Esc cancels (and keeps the panel open). */
export function RenameForm({ initial, busy, onSave, onCancel }: { initial: string; busy: boolean; onSave: (title: string) => void; onCancel: () => void }): ReactElement {
  const [value, setValue] = useState(initial);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);
  const valid = validGroupTitle(value);
  const unchanged = valid === initial.trim();

  return (
    <form
      className="group-info__rename"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid !== null && !busy) {
          if (unchanged) onCancel();
          else onSave(valid);
        }
      }}
    >
      <input
        ref={inputRef}
        className="input"
        type="text"
        aria-label="Group name"
        value={value}
        maxLength={MAX_TITLE_LENGTH}
        autoComplete="off"
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onCancel();
          }
        }}
      />
      <div className="group-info__rename-actions">
        <button type="button" className="btn btn--secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn" disabled={valid === null || busy}>
          Save
        </button>
      </div>
    </form>
  );
}
