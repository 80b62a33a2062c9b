import type { ReactElement, ReactNode } from 'react';
import { memberName } from '../format/names';
import type { Member, PresenceStatus } from '../state/types';
import { Avatar } from '../ui/avatar';

export interface MemberRowProps {
  member: Member;
  isMe: boolean;
  presence: PresenceStatus;
  /** I blocked this member. */
  blocked?: boolean;
  onRemove?: () => void;
  /** Block (or, when blocked, Unblock) this member; never offered for me. */
  onToggleBlock?: () => void;
  children?: ReactNode;
}

/** One member: avatar with presence, name, username, tags (You, Owner, Invited, Blocked), and Remove / Block when allowed. */
export function MemberRow({ member: m, isMe, presence, blocked = false, onRemove, onToggleBlock, children }: MemberRowProps): ReactElement {
  const name = memberName(m);
  return (
    <li className="group-info__member">
      <div className="group-info__member-row">
        <Avatar name={name} seed={m.userId} size={34} presence={presence} />
        <span className="group-info__member-names">
          <span className="group-info__member-name">
            <span className="group-info__member-text" dir="auto">
              {name}
            </span>
            {isMe && <span className="group-info__tag">You</span>}
            {m.role === 'owner' && <span className="group-info__tag group-info__tag--owner">Owner</span>}
            {m.state === 'pending' && <span className="group-info__tag group-info__tag--invited">Invited</span>}
            {blocked && <span className="group-info__tag group-info__tag--blocked">Blocked</span>}
          </span>
          <span className="group-info__member-username">
            @{m.username}
            <span className="visually-hidden">, {presence === 'online' ? 'online' : presence === 'away' ? 'away' : 'offline'}</span>
          </span>
        </span>
        {onToggleBlock && (
          <button
            type="button"
            className={`btn btn--secondary group-info__remove${blocked ? '' : ' btn--danger-text'}`}
            aria-label={`${blocked ? 'Unblock' : 'Block'} ${name}`}
            data-block={m.userId}
            onClick={onToggleBlock}
          >
            {blocked ? 'Unblock' : 'Block'}
          </button>
        )}
        {onRemove && (
          <button type="button" className="btn btn--secondary group-info__remove" aria-label={`Remove ${name} from the group`} data-remove={m.userId} onClick={onRemove}>
            Remove
          </button>
        )}
      </div>
      {children}
    </li>
  );
}
