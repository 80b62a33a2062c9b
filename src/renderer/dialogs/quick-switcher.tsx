import { useEffect, useId, useMemo, useState, type KeyboardEvent, type ReactElement } from 'react';
import { conversationTitle, directPeer } from '../format/names';
import { useApp } from '../state/app-context';
import type { LocalConversation } from '../state/types';
import { useStore } from '../state/use-store';
import { Avatar } from '../ui/avatar';
import { UnreadBadge } from '../ui/unread-badge';
import { Dialog } from '../ui/dialog';
import { Icon } from '../ui/icons';
import { PersonName } from '../ui/person-name';
import { rankConversations } from '../sidebar/conversation-match';
import { unreadLabel } from '../sidebar/preview';
import { moveIndex } from './user-search';
import './dialogs.css';

/**
 * Ctrl/Cmd+K: jump to a conversation by typing part of its name. A combobox over a
 * listbox; ↑/↓ move, Enter opens, Esc closes.
 */
export function QuickSwitcher(): ReactElement {
  const app = useApp();
  const { byId, presence } = useStore(app.conversations);
  const me = app.myUserId;
  const [query, setQuery] = useState('');
  const [highlight, setHighlight] = useState(0);
  const id = useId();
  const listId = `${id}-list`;

  const ranked = useMemo(() => rankConversations([...byId.values()], query, me), [byId, query, me]);
  const active = Math.min(highlight, ranked.length - 1);
  const optionId = (i: number): string => `${id}-opt-${i}`;

  useEffect(() => {
    const el = active >= 0 ? document.getElementById(optionId(active)) : null;
    el?.scrollIntoView({ block: 'nearest' });
  });

  function open(c: LocalConversation): void {
    app.ui.openConversation(c.id);
    app.ui.closePanel();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setHighlight(moveIndex(active, e.key === 'ArrowDown' ? 1 : -1, ranked.length));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const c = ranked[active];
      if (c) open(c);
    }
  }

  const expanded = ranked.length > 0;

  return (
    <Dialog title="Go to conversation" onClose={() => app.ui.closePanel()} className="quick-switcher">
      <div className="quick-switcher__field">
        <Icon name="search" size={16} className="quick-switcher__icon" />
        <input
          className="input quick-switcher__input"
          type="text"
          role="combobox"
          aria-label="Conversation name"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={expanded ? optionId(active) : undefined}
          placeholder="Type a name…"
          value={query}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setQuery(e.target.value);
            setHighlight(0);
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      <ul id={listId} role="listbox" aria-label={query.trim() ? 'Matching conversations' : 'Recent conversations'} className="quick-switcher__list">
        {ranked.map((c, i) => {
          const names = app.namesOf(c);
          const title = conversationTitle(c, names);
          const peer = directPeer(c, me);
          return (
            <li
              key={c.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={`quick-switcher__option${i === active ? ' quick-switcher__option--active' : ''}`}
              onMouseDown={(e) => e.preventDefault()}
              onMouseMove={() => i !== active && setHighlight(i)}
              onClick={() => open(c)}
            >
              <span className="visually-hidden" data-option-name="">
                {c.unread > 0 ? `${title}, ${unreadLabel(c.unread)}` : title}
              </span>
              <Avatar name={names.peer?.name ?? title} seed={peer?.userId ?? c.id} size={28} {...(peer ? { presence: presence.get(peer.userId)?.status ?? 'offline' } : {})} />
              <span className="quick-switcher__title" dir="auto" aria-hidden="true">
                {names.peer ? <PersonName person={names.peer} /> : title}
              </span>
              {c.kind === 'group' && (
                <span className="quick-switcher__kind" aria-hidden="true">
                  Group
                </span>
              )}
              {c.unread > 0 && <UnreadBadge count={c.unread} muted={c.muted} />}
            </li>
          );
        })}
      </ul>
      <div role="status" className="quick-switcher__status">
        {ranked.length === 0 ? (byId.size === 0 ? 'No conversations yet' : 'No conversation matches') : ''}
      </div>
      <p className="quick-switcher__help" aria-hidden="true">
        ↑↓ to move · Enter to open · Esc to close
      </p>
    </Dialog>
  );
}
