import { MAX_GROUP_MEMBERS } from '../../shared/protocol/limits';
import type { LocalConversation } from '../state/types';

/**
 * What the server lets me do to a conversation (src/server/store/sqlite/conversations.ts):
 * any member of a group may rename it, add people (up to MAX_GROUP_MEMBERS) and leave;
 * only an owner may remove someone else. Direct chats allow none of these, and neither
 * does an invitation I have not accepted (I decline it instead of leaving). The UI hides
 * what would be refused; the server still decides, and its refusals are shown.
 */
export interface GroupPermissions {
  isOwner: boolean;
  /** I was invited and have not answered: the request bar offers Accept and Decline. */
  invited: boolean;
  canRename: boolean;
  canAddMembers: boolean;
  /** The group is at its member limit. */
  full: boolean;
  canLeave: boolean;
  canRemove: (userId: string) => boolean;
}

export function groupPermissions(c: LocalConversation, myUserId: string | null): GroupPermissions {
  const mine = c.members.find((m) => m.userId === myUserId);
  const invited = c.kind === 'group' && mine?.state === 'pending';
  const inGroup = c.kind === 'group' && mine !== undefined && !invited;
  const isOwner = inGroup && mine.role === 'owner';
  const full = c.members.length >= MAX_GROUP_MEMBERS;
  return {
    isOwner,
    invited,
    canRename: inGroup,
    canAddMembers: inGroup && !full,
    full,
    canLeave: inGroup,
    canRemove: (userId) => isOwner && userId !== myUserId && c.members.some((m) => m.userId === userId),
  };
}
