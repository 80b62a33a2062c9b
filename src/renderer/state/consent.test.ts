import { describe, expect, it } from 'vitest';
import { conversation, member, ME } from '../test-support/fixtures';
import { awaitingAnswer, incomingRequest, isRequest, peerDeclined } from './consent';

const ann = member('u_ann', { displayName: 'Ann Lee', username: 'ann' });

describe('consent', () => {
  it('a DM where I am pending is a request from whoever invited me', () => {
    const c = conversation('d', { members: [member(ME, { state: 'pending', invitedBy: 'u_ann' }), ann] });
    expect(isRequest(c, ME)).toBe(true);
    expect(incomingRequest(c, ME)).toEqual({ kind: 'direct', from: ann });
    expect(awaitingAnswer(c, ME)).toBeUndefined();
  });

  it('a group where I am pending is an invitation; the inviter may have left since', () => {
    const c = conversation('g', { kind: 'group', title: 'Launch', members: [member(ME, { state: 'pending', invitedBy: 'u_gone' }), ann] });
    expect(incomingRequest(c, ME)).toEqual({ kind: 'group', from: undefined });
  });

  it('an accepted conversation is no request; a DM whose other person is pending awaits their answer', () => {
    const asked = conversation('d', { members: [member(ME), member('u_bob', { state: 'pending', invitedBy: ME })] });
    expect(incomingRequest(asked, ME)).toBeNull();
    expect(awaitingAnswer(asked, ME)?.userId).toBe('u_bob');
    expect(awaitingAnswer(conversation('d2'), ME)).toBeUndefined();
    // Pending members of a group are shown in its member list instead.
    expect(awaitingAnswer(conversation('g', { kind: 'group', members: [member(ME), member('u_bob', { state: 'pending' })] }), ME)).toBeUndefined();
  });

  it('a DM left with only me is one whose other person declined', () => {
    expect(peerDeclined(conversation('d', { members: [member(ME)] }), ME)).toBe(true);
    expect(peerDeclined(conversation('d'), ME)).toBe(false);
    expect(peerDeclined(conversation('g', { kind: 'group', members: [member(ME)] }), ME)).toBe(false);
  });
});
