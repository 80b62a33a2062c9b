import type { LocalConversation, Member } from './types';

/**
 * Consent, read off a conversation's members: someone the user has no accepted
 * conversation with put them in (a DM request or a group invitation), or the user asked
 * someone who has not answered yet. Pure functions over the snapshot main sends.
 */

/** A conversation the user was put in and has not answered: shown with a request bar instead of the composer. */
export interface IncomingRequest {
  kind: 'direct' | 'group';
  /** Who sent the request or the invitation (undefined if they are no longer a member). */
  from: Member | undefined;
}

export function myMember(c: LocalConversation, myUserId: string | null): Member | undefined {
  return c.members.find((m) => m.userId === myUserId);
}

/** The request or invitation waiting for my answer here, or null. */
export function incomingRequest(c: LocalConversation, myUserId: string | null): IncomingRequest | null {
  const mine = myMember(c, myUserId);
  if (mine?.state !== 'pending') return null;
  const from = mine.invitedBy === null ? undefined : c.members.find((m) => m.userId === mine.invitedBy);
  return { kind: c.kind, from };
}

export function isRequest(c: LocalConversation, myUserId: string | null): boolean {
  return myMember(c, myUserId)?.state === 'pending';
}

/** In a direct chat I started with someone new: the other person, while they have not accepted. */
export function awaitingAnswer(c: LocalConversation, myUserId: string | null): Member | undefined {
  if (c.kind !== 'direct' || isRequest(c, myUserId)) return undefined;
  const peer = c.members.find((m) => m.userId !== myUserId);
  return peer?.state === 'pending' ? peer : undefined;
}

/** A direct chat whose other person is gone: they declined my request (a DM cannot be left otherwise). */
export function peerDeclined(c: LocalConversation, myUserId: string | null): boolean {
  return c.kind === 'direct' && myMember(c, myUserId) !== undefined && c.members.every((m) => m.userId === myUserId);
}
