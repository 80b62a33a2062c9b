import { memo, type ReactElement } from 'react';
import { BLOCKED_MESSAGE } from '../format/blocking';
import type { ShownPerson } from '../format/names';
import { clockTime } from '../format/time';
import { MessageText } from '../message-text/message-text';
import type { LocalMessage } from '../state/types';
import { Avatar } from '../ui/avatar';
import { Icon } from '../ui/icons';
import { PersonName } from '../ui/person-name';
import type { OwnState } from './rows';

export interface MessageRowProps {
  message: LocalMessage;
  own: boolean;
  /** "Today", "Monday, March 4"…: a day separator above this message. */
  dayLabel: string | null;
  unreadStart: boolean;
  groupStart: boolean;
  /** The sender ("You" for mine), with their handle where their name could mislead. */
  sender: ShownPerson;
  /** What a system entry says. */
  systemText: string | null;
  /** Mine only: the state icon. */
  status: OwnState | null;
  highlighted: boolean;
  /** From someone the user blocked: one muted line instead of the message (no text, no links). */
  blocked?: boolean;
  onRetry: (clientId: string) => void;
  onDelete: (clientId: string) => void;
}

const STATUS: Record<Exclude<OwnState, 'failed'>, { icon: 'clock' | 'check' | 'checks'; label: string }> = {
  pending: { icon: 'clock', label: 'Sending' },
  sent: { icon: 'check', label: 'Sent' },
  delivered: { icon: 'checks', label: 'Delivered' },
  read: { icon: 'checks', label: 'Read' },
};

/**
 * One timeline entry with what goes above it (day separator, "New messages"). Memoised:
 * it re-renders only when its message object or one of its display props changes.
 */
export const MessageRow = memo(function MessageRow(p: MessageRowProps): ReactElement {
  const m = p.message;
  const time = clockTime(m.ts);
  const data = {
    'data-seq': m.seq ?? undefined,
    'data-client-id': m.clientId ?? undefined,
    'data-state': p.status ?? m.state,
  };
  return (
    <div className={`timeline-row${p.groupStart ? ' timeline-row--group-start' : ''}`}>
      {p.dayLabel !== null && (
        <div className="timeline-row__day">
          <span>{p.dayLabel}</span>
        </div>
      )}
      {p.unreadStart && (
        <div className="timeline-row__unread">
          <span>New messages</span>
        </div>
      )}
      {p.blocked === true && m.kind === 'text' ? (
        <div className={`timeline-blocked${p.highlighted ? ' message--highlight' : ''}`} role="article" aria-label={`${BLOCKED_MESSAGE} at ${time}`} {...data}>
          <Icon name="blocked" size={14} />
          <span>{BLOCKED_MESSAGE}</span> <time dateTime={new Date(m.ts).toISOString()}>{time}</time>
        </div>
      ) : m.kind === 'system' ? (
        <div className={`timeline-system${p.highlighted ? ' message--highlight' : ''}`} role="article" aria-label={`Update at ${time}`} {...data}>
          <span dir="auto">{p.systemText}</span> <time dateTime={new Date(m.ts).toISOString()}>{time}</time>
        </div>
      ) : (
        <div
          className={`message ${p.own ? 'message--own' : 'message--other'}${p.highlighted ? ' message--highlight' : ''}`}
          role="article"
          aria-label={`${p.sender.text} at ${time}`}
          {...data}
        >
          {!p.own && <div className="message__gutter">{p.groupStart && <Avatar name={p.sender.name} seed={m.senderId} size={32} />}</div>}
          <div className="message__body">
            {!p.own && p.groupStart && <PersonName person={p.sender} className="message__sender" />}
            <div className="message__bubble" dir="auto">
              <MessageText body={m.body ?? ''} />
              <span className="message__meta">
                <time dateTime={new Date(m.ts).toISOString()}>{time}</time>
                {p.status !== null && p.status !== 'failed' && (
                  <span className={`message__status message__status--${p.status}`} role="img" aria-label={STATUS[p.status].label}>
                    <Icon name={STATUS[p.status].icon} size={14} />
                  </span>
                )}
              </span>
            </div>
            {p.status === 'failed' && m.clientId !== null && <Failed clientId={m.clientId} error={m.error?.message ?? null} onRetry={p.onRetry} onDelete={p.onDelete} />}
          </div>
        </div>
      )}
    </div>
  );
});

function Failed(p: { clientId: string; error: string | null; onRetry: (clientId: string) => void; onDelete: (clientId: string) => void }): ReactElement {
  return (
    <div className="message__failed">
      <span className="message__failed-text">
        <span role="img" aria-label="Not sent" className="message__failed-icon">
          <Icon name="alert" size={14} />
        </span>
        {p.error ?? 'Not sent.'}
      </span>
      <button type="button" className="message__action" onClick={() => p.onRetry(p.clientId)}>
        <Icon name="retry" size={14} />
        Retry
      </button>
      <button type="button" className="message__action" onClick={() => p.onDelete(p.clientId)}>
        <Icon name="trash" size={14} />
        Delete
      </button>
    </div>
  );
}
