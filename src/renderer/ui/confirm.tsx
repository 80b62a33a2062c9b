import { useEffect, useId, useRef, type ReactElement } from 'react';
import './ui.css';

/**
 * An inline "are you sure?" for a destructive action (remove, leave, block, delete a
 * request): takes the focus (on Cancel, the safe choice), Esc cancels without closing the
 * panel around it.
 */
export function Confirm({ text, confirmLabel, busy, onConfirm, onCancel }: { text: string; confirmLabel: string; busy: boolean; onConfirm: () => void; onCancel: () => void }): ReactElement {
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div
      className="confirm"
      role="group"
      aria-labelledby={id}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <p id={id} className="confirm__text" dir="auto">
        {text}
      </p>
      <div className="confirm__actions">
        <button ref={cancelRef} type="button" className="btn btn--secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="btn btn--danger" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </div>
  );
}
