import { useEffect, useId, useState, type KeyboardEvent, type ReactElement } from 'react';
import { conversationTitle } from '../format/names';
import { clockTime, listTime } from '../format/time';
import { useApp, useNow } from '../state/app-context';
import type { SearchHit } from '../state/types';
import { useStore, useStoreValue } from '../state/use-store';
import { SidePanel } from '../ui/dialog';
import { SearchStore, SEARCH_LIMIT } from './search-store';
import { splitSnippet } from './snippet';
import './search.css';

function countText(n: number): string {
  if (n === 0) return 'No messages match';
  if (n >= SEARCH_LIMIT) return `${n} newest matches shown`;
  return n === 1 ? '1 message found' : `${n} messages found`;
}

/**
 * Full-text search over the history stored on this computer. Type to search; ↑/↓ move
 * through the results and Enter (or a click) opens the conversation at that message.
 */
export function SearchPanel(): ReactElement {
  const app = useApp();
  // What someone the user blocked wrote is hidden here as in the timeline.
  const [store] = useState(
    () =>
      new SearchStore(async (query, limit) => (await app.courier.call('search.messages', { query, limit })).filter((h) => !app.blocks.isBlocked(h.message.senderId))),
  );
  useEffect(() => () => store.dispose(), [store]);
  const { query, status, hits, error, active } = useStore(store);
  const id = useId();
  const listId = `${id}-results`;
  const optionId = (i: number): string => `${id}-result-${i}`;

  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
    // optionId is derived from the stable useId.
  }, [active]);

  function open(hit: SearchHit | undefined): void {
    if (!hit) return;
    const { conversationId, seq } = hit.message;
    app.ui.openConversation(conversationId, seq ?? undefined);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      store.move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      open(store.activeHit ?? hits[0]);
    }
  }

  const showList = hits.length > 0;
  const statusText = status === 'searching' ? 'Searching…' : status === 'done' ? countText(hits.length) : '';

  return (
    <SidePanel title="Search" onClose={() => app.ui.closePanel()}>
      <div className="search-panel">
        <input
          className="input search-panel__input"
          type="search"
          role="combobox"
          aria-label="Search messages"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 ? optionId(active) : undefined}
          placeholder="Search messages"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          maxLength={256}
          value={query}
          onChange={(e) => store.setQuery(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <p className="search-panel__status" role="status" aria-live="polite">
          {statusText}
        </p>
        {status === 'idle' && <p className="search-panel__hint">Search the messages stored on this computer. ↑ and ↓ move through the results, Enter opens one.</p>}
        {status === 'error' && (
          <p className="form-error" role="alert">
            Search failed: {error}
          </p>
        )}
        <ul id={listId} className="search-panel__results" role="listbox" aria-label="Search results" hidden={!showList}>
          {hits.map((hit, i) => (
            <SearchResult key={`${hit.message.conversationId}:${hit.message.seq ?? hit.message.clientId}`} id={optionId(i)} hit={hit} selected={i === active} onOpen={() => open(hit)} onHover={() => store.setActive(i)} />
          ))}
        </ul>
      </div>
    </SidePanel>
  );
}

function SearchResult({ id, hit, selected, onOpen, onHover }: { id: string; hit: SearchHit; selected: boolean; onOpen: () => void; onHover: () => void }): ReactElement {
  const app = useApp();
  const now = useNow(60_000);
  const conversation = useStoreValue(app.conversations, (c) => c.byId.get(hit.message.conversationId));
  const names = useStoreValue(app.conversations, (c) => app.namesOf(c.byId.get(hit.message.conversationId)));
  const title = conversation ? conversationTitle(conversation, names) : 'Conversation';
  const sender = names.text(hit.message.senderId);
  const ts = hit.message.ts;
  return (
    <li id={id} role="option" aria-selected={selected} className="search-result" onClick={onOpen} onMouseMove={selected ? undefined : onHover}>
      <div className="search-result__head">
        <span className="search-result__title">{title}</span>
        <time className="search-result__time" dateTime={new Date(ts).toISOString()} title={`${new Date(ts).toLocaleDateString()} ${clockTime(ts)}`}>
          {listTime(ts, now)}
        </time>
      </div>
      <p className="search-result__snippet">
        <span className="search-result__sender">{sender}: </span>
        {splitSnippet(hit.snippet).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
      </p>
    </li>
  );
}
