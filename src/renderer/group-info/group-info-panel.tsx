import { useEffect, useRef, useState, type ReactElement } from 'react';
import { blockQuestion, unblockQuestion } from '../format/blocking';
import { conversationTitle, directPeer, presenceLabel, shownPerson, type ShownPerson } from '../format/names';
import { errorMessage } from '../state/bridge';
import { useApp, useNow } from '../state/app-context';
import type { LocalConversation, Member } from '../state/types';
import { named } from '../state/people-names';
import { myPresence } from '../state/session-store';
import { useStore } from '../state/use-store';
import { Avatar } from '../ui/avatar';
import { Confirm } from '../ui/confirm';
import { SidePanel } from '../ui/dialog';
import { Icon } from '../ui/icons';
import { SimilarName } from '../ui/similar-name';
import { groupPermissions } from './group-permissions';
import { MemberRow } from './member-row';
import { MuteSwitch } from './mute-switch';
import { RenameForm } from './rename-form';
import { UserPicker } from '../dialogs/user-picker';
import './group-info.css';

/**
 * The right-hand panel about a conversation. For a group: its name (renamable), members
 * (add, remove for owners, block or unblock the others; who has not accepted yet is
 * "Invited"), mute and leave. For a direct chat: the other person, mute, and block or
 * unblock. Actions the server would refuse are not offered; a refusal that happens anyway
 * is shown.
 */
export function GroupInfoPanel({ conversationId }: { conversationId: string }): ReactElement {
  const app = useApp();
  const { byId } = useStore(app.conversations);
  const c = byId.get(conversationId);
  const close = (): void => app.ui.closePanel();

  if (!c) {
    return (
      <SidePanel title="Group info" onClose={close}>
        <p className="group-info__gone">This conversation is no longer available.</p>
      </SidePanel>
    );
  }
  return c.kind === 'group' ? <GroupInfo key={c.id} conversation={c} onClose={close} /> : <ContactInfo key={c.id} conversation={c} onClose={close} />;
}

type Pending = { kind: 'remove' | 'block' | 'unblock'; member: Member } | { kind: 'leave' } | null;

function GroupInfo({ conversation: c, onClose }: { conversation: LocalConversation; onClose: () => void }): ReactElement {
  const app = useApp();
  const { presence } = useStore(app.conversations);
  const { ids: blocked } = useStore(app.blocks);
  const mine = myPresence(useStore(app.session));
  const me = app.myUserId;
  const can = groupPermissions(c, me);
  const names = app.namesOf(c);
  const title = conversationTitle(c, names);
  const nameOf = (m: Member): ShownPerson => names.member(m.userId) ?? shownPerson(m, false);
  const [renaming, setRenaming] = useState(false);
  const [adding, setAdding] = useState(false);
  const [confirm, setConfirm] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const panelRef = useRef<HTMLDivElement>(null);
  const previous = useRef<{ renaming: boolean; confirm: Pending }>({ renaming, confirm });

  // When an inline form or confirmation closes, its controls vanish: put the focus back on
  // what opened it (or the members heading if that row is gone) instead of losing it.
  useEffect(() => {
    const before = previous.current;
    previous.current = { renaming, confirm };
    const root = panelRef.current;
    if (!root) return;
    const heading = root.querySelector<HTMLElement>('.group-info__heading');
    if (before.renaming && !renaming) (root.querySelector<HTMLElement>('[data-action="rename"]') ?? heading)?.focus();
    else if (before.confirm?.kind === 'leave' && confirm === null) (root.querySelector<HTMLElement>('[data-action="leave"]') ?? heading)?.focus();
    else if (before.confirm !== null && before.confirm.kind !== 'leave' && confirm === null) {
      const userId = before.confirm.member.userId;
      const attribute = before.confirm.kind === 'remove' ? 'remove' : 'block';
      ([...root.querySelectorAll<HTMLElement>(`[data-${attribute}]`)].find((b) => b.dataset[attribute] === userId) ?? heading)?.focus();
    }
  }, [renaming, confirm]);

  /** Runs one server action at a time; its refusal becomes the panel's error. */
  async function run(action: () => Promise<void>, done?: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await action();
      if (done) setNotice(done);
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function rename(next: string): Promise<void> {
    if (await run(() => app.conversations.rename(c.id, next), 'Group renamed')) setRenaming(false);
  }

  async function remove(m: Member): Promise<void> {
    setConfirm(null);
    // The row goes away with the member: the focus moves to the list's heading.
    if (await run(() => app.conversations.removeMember(c.id, m.userId), `${nameOf(m).text} was removed`)) panelRef.current?.querySelector<HTMLElement>('.group-info__heading')?.focus();
  }

  async function toggleBlock(m: Member, block: boolean): Promise<void> {
    setConfirm(null);
    await run(() => (block ? app.blocks.block(m.userId) : app.blocks.unblock(m.userId)), `${nameOf(m).text} was ${block ? 'blocked' : 'unblocked'}`);
  }

  async function leave(): Promise<void> {
    setConfirm(null);
    if (await run(() => app.conversations.leave(c.id))) app.ui.openConversation(null);
  }

  const memberIds = c.members.map((m) => m.userId);

  return (
    <SidePanel title="Group info" onClose={onClose}>
      <div className="group-info" ref={panelRef}>
        <section className="group-info__hero" aria-label="Group">
          <span className="group-info__avatar">
            <Avatar name={title} seed={c.id} size={72} />
          </span>
          {renaming ? (
            <RenameForm initial={c.title ?? ''} busy={busy} onSave={(t) => void rename(t)} onCancel={() => setRenaming(false)} />
          ) : (
            <div className="group-info__title-row">
              <h3 className="group-info__title" dir="auto">
                {title}
              </h3>
              {can.canRename && (
                <button
                  type="button"
                  className="icon-btn"
                  aria-label="Rename group"
                  data-action="rename"
                  title="Rename group"
                  onClick={() => {
                    setError(null);
                    setRenaming(true);
                  }}
                >
                  <Icon name="compose" size={16} />
                </button>
              )}
            </div>
          )}
          <p className="group-info__subtitle">{c.members.length === 1 ? '1 member' : `${c.members.length} members`}</p>
          {can.invited && <p className="group-info__hint">Accept the invitation to rename the group or add people.</p>}
        </section>

        <div className="group-info__live" role="status">
          {notice}
        </div>
        {error !== null && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}

        <section className="group-info__section">
          <MuteSwitch muted={c.muted} onChange={(muted) => void run(() => app.conversations.setMuted(c.id, muted))} />
        </section>

        <section className="group-info__section" aria-labelledby={`${c.id}-members-heading`}>
          <div className="group-info__section-head">
            <h3 className="group-info__heading" id={`${c.id}-members-heading`} tabIndex={-1}>
              Members
            </h3>
            {can.canAddMembers && (
              <button type="button" className="btn btn--secondary group-info__add" aria-expanded={adding} onClick={() => setAdding((a) => !a)}>
                <Icon name="plus" size={16} />
                Add people
              </button>
            )}
          </div>
          {can.full && <p className="field__hint">This group is full.</p>}
          {adding && can.canAddMembers && (
            <div className="group-info__picker">
              <UserPicker
                label="Find people to add"
                exclude={memberIds}
                onPick={(u) => void run(() => app.conversations.addMembers(c.id, [u.id]), `${app.conversations.names.standalone(named(u)).text} was added`)}
              />
            </div>
          )}
          <ul className="group-info__members">
            {c.members.map((m) => {
              const isBlocked = blocked.has(m.userId);
              const asking = confirm !== null && confirm.kind !== 'leave' && confirm.member.userId === m.userId ? confirm.kind : null;
              return (
                <MemberRow
                  key={m.userId}
                  member={m}
                  name={nameOf(m)}
                  isMe={m.userId === me}
                  blocked={isBlocked}
                  presence={m.userId === me ? mine : (presence.get(m.userId)?.status ?? 'offline')}
                  {...(can.canRemove(m.userId) ? { onRemove: () => setConfirm({ kind: 'remove', member: m }) } : {})}
                  {...(m.userId !== me ? { onToggleBlock: () => setConfirm({ kind: isBlocked ? 'unblock' : 'block', member: m }) } : {})}
                >
                  {asking === 'remove' && (
                    <Confirm text={`Remove ${nameOf(m).text} from the group?`} confirmLabel="Remove" busy={busy} onConfirm={() => void remove(m)} onCancel={() => setConfirm(null)} />
                  )}
                  {asking === 'block' && <Confirm text={blockQuestion(nameOf(m).text)} confirmLabel="Block" busy={busy} onConfirm={() => void toggleBlock(m, true)} onCancel={() => setConfirm(null)} />}
                  {asking === 'unblock' && (
                    <Confirm text={unblockQuestion(nameOf(m).text)} confirmLabel="Unblock" busy={busy} onConfirm={() => void toggleBlock(m, false)} onCancel={() => setConfirm(null)} />
                  )}
                </MemberRow>
              );
            })}
          </ul>
        </section>

        {can.canLeave && (
          <section className="group-info__section group-info__danger">
            {confirm?.kind === 'leave' ? (
              <Confirm
                text={`Leave “${title}”? You will stop getting its messages.`}
                confirmLabel="Leave"
                busy={busy}
                onConfirm={() => void leave()}
                onCancel={() => setConfirm(null)}
              />
            ) : (
              <button type="button" className="btn btn--danger group-info__leave" data-action="leave" disabled={busy} onClick={() => setConfirm({ kind: 'leave' })}>
                <Icon name="leave" size={16} />
                Leave group
              </button>
            )}
          </section>
        )}
      </div>
    </SidePanel>
  );
}

function ContactInfo({ conversation: c, onClose }: { conversation: LocalConversation; onClose: () => void }): ReactElement {
  const app = useApp();
  const { presence } = useStore(app.conversations);
  const { ids: blocked } = useStore(app.blocks);
  const now = useNow();
  const me = app.myUserId;
  const peer = directPeer(c, me);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const rowRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  const p = peer ? presence.get(peer.userId) : undefined;
  const names = app.namesOf(c);
  // As the chat's title names them: with the handle where their name collides with anyone's.
  const shown = names.peer;
  const name = shown?.text ?? conversationTitle(c, names);
  const isBlocked = peer !== undefined && blocked.has(peer.userId);

  // The confirmation took the focus from the row; give it back when it closes.
  useEffect(() => {
    if (wasAsking.current && !asking) rowRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  async function toggleBlock(): Promise<void> {
    if (!peer) return;
    setBusy(true);
    setError(null);
    try {
      if (isBlocked) await app.blocks.unblock(peer.userId);
      else await app.blocks.block(peer.userId);
      setNotice(`${name} was ${isBlocked ? 'unblocked' : 'blocked'}`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
      setAsking(false);
    }
  }

  return (
    <SidePanel title="Contact info" onClose={onClose}>
      <div className="group-info">
        <section className="group-info__hero" aria-label="Contact">
          <span className="group-info__avatar">
            <Avatar name={shown?.name ?? name} seed={peer?.userId ?? c.id} size={72} presence={p?.status ?? 'offline'} />
          </span>
          <h3 className="group-info__title" dir="auto">
            {shown?.name ?? name}
          </h3>
          {peer && (
            <p className="group-info__subtitle">
              @{peer.username}
              {shown !== undefined && shown.handle !== null && (
                <>
                  {' '}
                  <SimilarName />
                </>
              )}
            </p>
          )}
          {peer && <p className="group-info__subtitle">{isBlocked ? 'Blocked' : presenceLabel(p, now)}</p>}
        </section>
        <div className="group-info__live" role="status">
          {notice}
        </div>
        {error !== null && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <section className="group-info__section">
          <MuteSwitch
            muted={c.muted}
            onChange={(muted) => {
              setError(null);
              app.conversations.setMuted(c.id, muted).catch((e: unknown) => setError(errorMessage(e)));
            }}
          />
        </section>
        {peer && (
          <section className="group-info__section">
            {asking ? (
              <Confirm
                text={isBlocked ? unblockQuestion(name) : blockQuestion(name)}
                confirmLabel={isBlocked ? 'Unblock' : 'Block'}
                busy={busy}
                onConfirm={() => void toggleBlock()}
                onCancel={() => setAsking(false)}
              />
            ) : (
              <button
                ref={rowRef}
                type="button"
                className={`group-info__row-action${isBlocked ? '' : ' group-info__row-action--danger'}`}
                onClick={() => {
                  setError(null);
                  setAsking(true);
                }}
              >
                <Icon name="blocked" size={18} />
                {isBlocked ? `Unblock ${name}` : `Block ${name}`}
              </button>
            )}
          </section>
        )}
      </div>
    </SidePanel>
  );
}
