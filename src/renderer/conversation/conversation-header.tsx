import type { ReactElement } from 'react';
import { conversationTitle, directPeer, presenceLabel, typingText } from '../format/names';
import { useApp, useNow } from '../state/app-context';
import type { LocalConversation } from '../state/types';
import { useStore } from '../state/use-store';
import { Avatar } from '../ui/avatar';
import { Icon } from '../ui/icons';
import { PersonName } from '../ui/person-name';
import './conversation.css';

/** Name, presence or member count, who is typing, and the conversation's actions. */
export function ConversationHeader({ conversation }: { conversation: LocalConversation }): ReactElement {
  const app = useApp();
  const { presence, typing } = useStore(app.conversations);
  const { panel } = useStore(app.ui);
  const now = useNow();
  const me = app.myUserId;
  const names = app.namesOf(conversation);
  const title = conversationTitle(conversation, names);
  const peer = directPeer(conversation, me);
  const peerPresence = peer ? presence.get(peer.userId) : undefined;
  const typers = (typing.get(conversation.id) ?? []).filter((u) => u !== me).map((u) => names.text(u));
  const typingLine = typingText(typers);
  const subtitle =
    conversation.kind === 'direct' ? presenceLabel(peerPresence, now) : `${conversation.members.length} ${conversation.members.length === 1 ? 'member' : 'members'}`;

  return (
    <header className="conversation-header">
      <Avatar name={names.peer?.name ?? title} seed={peer?.userId ?? conversation.id} size={34} {...(peer ? { presence: peerPresence?.status ?? 'offline' } : {})} />
      <div className="conversation-header__text">
        <h2 className="conversation-header__title">
          {names.peer ? <PersonName person={names.peer} /> : title}
        </h2>
        <p className={`conversation-header__subtitle${typingLine ? ' conversation-header__subtitle--typing' : ''}`} aria-live="polite">
          {typingLine ?? subtitle}
        </p>
      </div>
      <div className="conversation-header__actions">
        <button
          type="button"
          className="icon-btn"
          aria-pressed={conversation.muted}
          aria-label="Mute notifications"
          title={conversation.muted ? 'Muted: no notifications from this conversation' : 'Mute notifications'}
          onClick={() => void app.conversations.setMuted(conversation.id, !conversation.muted).catch(() => undefined)}
        >
          <Icon name={conversation.muted ? 'bellOff' : 'bell'} />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-pressed={panel === 'search'}
          aria-label="Search messages"
          title="Search messages (Ctrl+Shift+F)"
          onClick={() => app.ui.togglePanel('search')}
        >
          <Icon name="search" />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-pressed={panel === 'groupInfo'}
          aria-label={conversation.kind === 'group' ? 'Group info' : 'Contact info'}
          title={conversation.kind === 'group' ? 'Group info' : 'Contact info'}
          onClick={() => app.ui.togglePanel('groupInfo')}
        >
          <Icon name="info" />
        </button>
      </div>
    </header>
  );
}
