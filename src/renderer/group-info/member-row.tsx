import type { ReactElement, ReactNode } from 'react';
import type { ShownPerson } from '../format/names';
import type { Member, PresenceStatus } from '../state/types';
import { Avatar } from '../ui/avatar';
import { SimilarName } from '../ui/similar-name';

export interface MemberRowProps {
  member: Member;
  /** How the group names them: with a handle where their name could be taken for another member's. */
  name: ShownPerson;
  isMe: boolean;
  presence: PresenceStatus;
  /** I blocked this member. */
  blocked?: boolean;
  onRemove?: () => void;
  /** Block (or, when blocked, Unblock) this member; never offered for me. */
  onToggleBlock?: () => void;
  children?: ReactNode;
}

/**
 * One member: avatar with presence, name, username (with "Similar name" beside it where the
 * name could be taken for another member's), tags (You, Owner, Invited, Blocked), and
 * Remove / Block when allowed. The row always shows the @username under the name, so the name is not
 * repeated with it; the buttons, which are read on their own, say both.
 */
export function MemberRow({ member: m, name: shown, isMe, presence, blocked = false, onRemove, onToggleBlock, children }: MemberRowProps): ReactElement {
  const name = shown.text;
  return (
    <li className="group-info__member">
      <div className="group-info__member-row">
        <Avatar name={shown.name} seed={m.userId} size={34} presence={presence} />
        <span className="group-info__member-names">
          <span className="group-info__member-name">
            <span className="group-info__member-text" dir="auto">
              {shown.name}
            </span>
            {isMe && <span className="group-info__tag">You</span>}
            {m.role === 'owner' && <span className="group-info__tag group-info__tag--owner">Owner</span>}
            {m.state === 'pending' && <span className="group-info__tag group-info__tag--invited">Invited</span>}
            {blocked && <span className="group-info__tag group-info__tag--blocked">Blocked</span>}
          </span>
          <span className="group-info__member-username">
            @{m.username}
            {shown.handle !== null && (
              <>
                {' '}
                <SimilarName />
              </>
            )}
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

