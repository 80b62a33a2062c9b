import { describe, expect, it } from 'vitest';
import { MAX_GROUP_MEMBERS } from '../../shared/protocol/limits';
import { conversation, member, ME } from '../test-support/fixtures';
import { groupPermissions } from './group-permissions';

const group = (role: 'owner' | 'member', count = 3) =>
  conversation('g', {
    kind: 'group',
    title: 'Team',
    members: [member(ME, { role }), ...Array.from({ length: count - 1 }, (_, i) => member(`u_${i}`, { role: role === 'owner' ? 'member' : i === 0 ? 'owner' : 'member' }))],
  });

describe('groupPermissions', () => {
  it('lets an owner remove others but not themselves (that is leaving)', () => {
    const p = groupPermissions(group('owner'), ME);
    expect(p).toMatchObject({ isOwner: true, canRename: true, canAddMembers: true, canLeave: true });
    expect(p.canRemove('u_0')).toBe(true);
    expect(p.canRemove(ME)).toBe(false);
    expect(p.canRemove('u_stranger')).toBe(false);
  });

  it('lets a member rename, add and leave, but not remove', () => {
    const p = groupPermissions(group('member'), ME);
    expect(p).toMatchObject({ isOwner: false, canRename: true, canAddMembers: true, canLeave: true });
    expect(p.canRemove('u_0')).toBe(false);
  });

  it('allows nothing in a direct chat, or in a group I am no longer in', () => {
    for (const p of [groupPermissions(conversation('d'), ME), groupPermissions(group('owner'), 'u_someone_else_entirely')]) {
      expect(p).toMatchObject({ isOwner: false, canRename: false, canAddMembers: false, canLeave: false });
      expect(p.canRemove('u_0')).toBe(false);
    }
  });

  it('stops adding at the member limit', () => {
    expect(groupPermissions(group('member', MAX_GROUP_MEMBERS), ME)).toMatchObject({ full: true, canAddMembers: false, canRename: true });
  });

  it('allows nothing on an invitation I have not accepted (the server says "accept the invitation first")', () => {
    const c = group('member');
    const invited = { ...c, members: [member(ME, { state: 'pending', invitedBy: 'u_0' }), ...c.members.slice(1)] };
    const p = groupPermissions(invited, ME);
    expect(p).toMatchObject({ invited: true, canRename: false, canAddMembers: false, canLeave: false });
    expect(p.canRemove('u_1')).toBe(false);
    expect(groupPermissions(c, ME).invited).toBe(false);
  });
});

