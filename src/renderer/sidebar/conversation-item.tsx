import { memo, type ReactElement } from 'react';
import { conversationTitle, directPeer, type ConversationNames } from '../format/names';
import { listTime } from '../format/time';
import type { LocalConversation, PresenceStatus } from '../state/types';
import { Avatar } from '../ui/avatar';
import { Icon } from '../ui/icons';
import { PersonName } from '../ui/person-name';
import { UnreadBadge } from '../ui/unread-badge';
import { itemLabel, previewOf, typingHint, type RequestMark } from './preview';

export interface ConversationItemProps {
  conversation: LocalConversation;
  /** How it names its people (a new instance when a name it shows changes, so the row re-renders). */
  names: ConversationNames;
  active: boolean;
  /** The peer's presence in a direct chat. */
  presence: PresenceStatus | undefined;
  typingUserIds: readonly string[] | undefined;
  /** A request or invitation I have not answered: marked instead of counted. */
  request: RequestMark | null;
  /** The last message is from someone I blocked: its text is not shown. */
  lastFromBlocked: boolean;
  now: number;
  onOpen: (id: string) => void;
}

/**
 * One row of the sidebar: avatar, title, time, the last message (or who is typing) and the
 * unread badge, or for a request or invitation not answered yet a label in its place.
 */
export const ConversationItem = memo(function ConversationItem({ conversation: c, names, active, presence, typingUserIds, request, lastFromBlocked, now, onOpen }: ConversationItemProps): ReactElement {
  const title = conversationTitle(c, names);
  const peer = directPeer(c, names.myUserId);
  const preview = previewOf(c, names, () => lastFromBlocked);
  const typing = typingHint(c, typingUserIds, names);
  const time = listTime(c.lastActivityAt, now);
  const line = typing ?? preview.text;
  const label = itemLabel({ title, muted: c.muted, unread: c.unread, request, line, pending: typing === null && preview.pending, failed: typing === null && preview.failed, time });

  return (
    <li className="sidebar-item">
      <button
        type="button"
        className={`sidebar-item__button${active ? ' sidebar-item__button--active' : ''}${c.unread > 0 || request ? ' sidebar-item__button--unread' : ''}`}
        aria-current={active ? 'true' : undefined}
        onClick={() => onOpen(c.id)}
      >
        {c.kind === 'group' ? (
          <span className="sidebar-item__group-avatar" aria-hidden="true">
            <Avatar name={title} seed={c.id} size={40} />
            <Icon name="group" size={14} className="sidebar-item__group-mark" />
          </span>
        ) : (
          <Avatar name={names.peer?.name ?? title} seed={peer?.userId ?? c.id} size={40} {...(peer ? { presence: presence ?? 'offline' } : {})} />
        )}
        {/* The name is this sentence, in the order a listener wants it; the visible parts are
            hidden from assistive tech rather than overridden by aria-label, whose text would
            not match what sighted users see (axe: label-content-name-mismatch). */}
        <span className="visually-hidden" data-item-name="">
          {label}
        </span>
        <span className="sidebar-item__body" aria-hidden="true">
          <span className="sidebar-item__top">
            <span className="sidebar-item__title" dir="auto">
              {names.peer ? <PersonName person={names.peer} /> : title}
            </span>
            {c.muted && <Icon name="bellOff" size={14} className="sidebar-item__muted" />}
            <span className="sidebar-item__time">{time}</span>
          </span>
          <span className="sidebar-item__bottom">
            {typing !== null ? (
              <span className="sidebar-item__preview sidebar-item__preview--typing">{typing}</span>
            ) : (
              <span className={`sidebar-item__preview${c.lastMessage ? '' : ' sidebar-item__preview--empty'}${lastFromBlocked ? ' sidebar-item__preview--blocked' : ''}`} dir="auto">
                {preview.pending && <Icon name="clock" size={13} className="sidebar-item__state" />}
                {preview.failed && <Icon name="alert" size={13} className="sidebar-item__state sidebar-item__state--failed" />}
                {preview.text}
              </span>
            )}
            {request ? <span className="sidebar-item__request">{request}</span> : c.unread > 0 && <UnreadBadge count={c.unread} muted={c.muted} />}
          </span>
        </span>
      </button>
    </li>
  );
});
