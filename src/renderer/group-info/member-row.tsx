import type { ReactElement, ReactNode } from 'react';
import { memberName } from '../format/names';
import type { Member, PresenceStatus } from '../state/types';
import { Avatar } from '../ui/avatar';

/** One member: avatar with presence, name, username, tags, and Remove when allowed. */
export function MemberRow({ member: m, isMe, presence, onRemove, children }: { member: Member; isMe: boolean; presence: PresenceStatus; onRemove?: () => void; children?: ReactNode }): ReactElement {
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
          </span>
          <span className="group-info__member-username">
            @{m.username}
            <span className="visually-hidden">, {presence === 'online' ? 'online' : presence === 'away' ? 'away' : 'offline'}</span>
          </span>
        </span>
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
