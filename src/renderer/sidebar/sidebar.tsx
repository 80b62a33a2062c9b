import { useCallback, useMemo, useRef, type KeyboardEvent, type ReactElement } from 'react';
import { useApp, useNow } from '../state/app-context';
import { isRequest } from '../state/consent';
import type { LocalConversation } from '../state/types';
import { useStore } from '../state/use-store';
import { Avatar } from '../ui/avatar';
import { Icon } from '../ui/icons';
import { ConversationItem } from './conversation-item';
import { filterConversations } from './conversation-match';
import './sidebar.css';

/**
 * The left column: who I am, the new-chat/search/settings actions, the filter, and the
 * conversations newest first. ↓ from the filter enters the list; ↑/↓/Home/End move in it.
 */
export function Sidebar(): ReactElement {
  const app = useApp();
  const { account } = useStore(app.session);
  const { loaded, byId, order, presence, typing } = useStore(app.conversations);
  const { activeConversationId, panel, filter } = useStore(app.ui);
  const { ids: blocked } = useStore(app.blocks);
  const now = useNow(60_000);
  const me = account?.userId ?? null;
  const listRef = useRef<HTMLUListElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);

  const all = useMemo(() => order.map((id) => byId.get(id)).filter((c): c is LocalConversation => c !== undefined), [order, byId]);
  const visible = useMemo(() => filterConversations(all, filter, me), [all, filter, me]);
  const open = useCallback((id: string) => app.ui.openConversation(id), [app]);

  function itemButtons(): HTMLButtonElement[] {
    return [...(listRef.current?.querySelectorAll<HTMLButtonElement>('.sidebar-item__button') ?? [])];
  }

  function onFilterKey(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      itemButtons()[0]?.focus();
    } else if (e.key === 'Escape' && filter !== '') {
      e.stopPropagation();
      app.ui.setFilter('');
    }
  }

  function onListKey(e: KeyboardEvent<HTMLUListElement>): void {
    const buttons = itemButtons();
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index === -1) return;
    let next: number | null = null;
    if (e.key === 'ArrowDown') next = Math.min(buttons.length - 1, index + 1);
    else if (e.key === 'ArrowUp') {
      if (index === 0) {
        e.preventDefault();
        filterRef.current?.focus();
        return;
      }
      next = index - 1;
    } else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = buttons.length - 1;
    if (next === null) return;
    e.preventDefault();
    buttons[next]?.focus();
  }

  const name = account ? (account.displayName ?? account.username) : '';

  return (
    <nav className="sidebar" aria-label="Conversations">
      <header className="sidebar__header">
        <div className="sidebar__me">
          {account && <Avatar name={name} seed={account.userId} size={32} />}
          <div className="sidebar__me-text">
            <span className="sidebar__me-name" dir="auto">
              {account ? name : 'Courier'}
            </span>
            {account && <span className="sidebar__me-username">@{account.username}</span>}
          </div>
        </div>
        <div className="sidebar__actions">
          <button type="button" className="icon-btn" aria-label="New chat" aria-keyshortcuts="Control+N" title="New chat (Ctrl+N)" onClick={() => app.ui.openPanel('newDirect')}>
            <Icon name="compose" />
          </button>
          <button type="button" className="icon-btn" aria-label="New group" title="New group" onClick={() => app.ui.openPanel('newGroup')}>
            <Icon name="group" />
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label="Search messages"
            title="Search messages"
            aria-pressed={panel === 'search'}
            onClick={() => app.ui.togglePanel('search')}
          >
            <Icon name="search" />
          </button>
          <button type="button" className="icon-btn" aria-label="Settings" title="Settings" aria-pressed={panel === 'settings'} onClick={() => app.ui.togglePanel('settings')}>
            <Icon name="settings" />
          </button>
        </div>
      </header>

      <div className="sidebar__filter">
        <Icon name="search" size={16} className="sidebar__filter-icon" />
        <input
          ref={filterRef}
          type="search"
          className="input sidebar__filter-input"
          placeholder="Filter conversations"
          aria-label="Filter conversations"
          value={filter}
          onChange={(e) => app.ui.setFilter(e.target.value)}
          onKeyDown={onFilterKey}
          spellCheck={false}
          autoComplete="off"
        />
      </div>

      {loaded && all.length === 0 ? (
        <div className="sidebar__empty">
          <p className="sidebar__empty-title">No conversations yet</p>
          <p className="sidebar__empty-text">Start a chat with someone on your server.</p>
          <button type="button" className="btn" onClick={() => app.ui.openPanel('newDirect')}>
            <Icon name="plus" size={16} />
            Start a chat
          </button>
        </div>
      ) : visible.length === 0 && filter.trim() !== '' ? (
        <div className="sidebar__empty" role="status">
          <p className="sidebar__empty-title">No matches</p>
          <p className="sidebar__empty-text">
            No conversation matches “<span dir="auto">{filter.trim()}</span>”.
          </p>
          <button type="button" className="btn btn--secondary" onClick={() => app.ui.setFilter('')}>
            Clear filter
          </button>
        </div>
      ) : (
        <ul ref={listRef} className="sidebar__list" onKeyDown={onListKey}>
          {visible.map((c) => {
            const peer = c.kind === 'direct' ? c.members.find((m) => m.userId !== me) : undefined;
            const last = c.lastMessage;
            return (
              <ConversationItem
                key={c.id}
                conversation={c}
                names={app.namesOf(c)}
                active={c.id === activeConversationId}
                presence={peer ? presence.get(peer.userId)?.status : undefined}
                typingUserIds={typing.get(c.id)}
                request={isRequest(c, me) ? (c.kind === 'direct' ? 'Request' : 'Invitation') : null}
                lastFromBlocked={last !== null && last.kind === 'text' && last.senderId !== me && blocked.has(last.senderId)}
                now={now}
                onOpen={open}
              />
            );
          })}
        </ul>
      )}
    </nav>
  );
}
