import type { ReactElement } from 'react';
import './ui.css';

/** An unread count as a pill; muted conversations get a quiet one. The words for screen readers are the caller's. */
export function UnreadBadge({ count, muted }: { count: number; muted: boolean }): ReactElement {
  return (
    <span className={`unread-badge${muted ? ' unread-badge--muted' : ''}`} aria-hidden="true">
      {count > 999 ? '999+' : count}
    </span>
  );
}
