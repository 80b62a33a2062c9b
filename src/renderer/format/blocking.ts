/** What blocking does, asked before it is done (contact info, group members, settings, the blocked bar). */
export function blockQuestion(name: string): string {
  return `Block ${name}? They won’t be able to message you or add you to groups, or see when you’re online or that you’ve read their messages. What they write in groups is hidden.`;
}

export function unblockQuestion(name: string): string {
  return `Unblock ${name}? They will be able to message you and add you to groups again.`;
}

/** What a message from someone the user blocked shows instead of its text (timeline, sidebar). */
export const BLOCKED_MESSAGE = 'Message from someone you blocked';
