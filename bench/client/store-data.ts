/**
 * Synthetic but realistic data for the local store benchmark (store.ts): conversations
 * with a few members each, and chat messages whose words follow a Zipf-like distribution
 * over a vocabulary with a long tail, so the full-text index has the shape of real chat
 * (a few very common words, many rare ones). Deterministic: seeded PRNG.
 */
import type { Conversation, Member, Message } from '../../src/shared/protocol';

export type Random = () => number;

/** mulberry32: small, fast, good enough for benchmark data. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = `the to and a of I you it in is that for on this be with have we not are but so at
  do was just can my me if will what your get all about like know out up no they there one
  go how think would time now yes ok okay good see later today tomorrow meeting lunch call
  thanks please sorry maybe sure right well need want work home back new going got make
  hello hey hi morning night week weekend friday monday send file link doc review deploy
  build test release bug fix issue branch merge server client app update coffee dinner
  café naïve résumé über déjà crème jalapeño piñata façade`.split(/\s+/).filter(Boolean);
const SYLLABLES = 'ka lo mi nu pe ra si to vu ze bar cor den fal gir hon jus kel lum mor nid pol quen rist sul tam vor wex yal zin'.split(' ');

/** ~20k words: the common ones first (most frequent), then made-up words for the long tail. */
export function vocabulary(random: Random, size = 20_000): string[] {
  const words = new Set(COMMON);
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

/** Rank r is drawn with probability ~ 1/(r+1): Zipf with s = 1, by inverting the harmonic CDF. */
export function zipfPicker(words: readonly string[], random: Random): () => string {
  const n = words.length;
  const logN = Math.log(n + 1);
  return () => words[Math.min(n - 1, Math.floor(Math.exp(random() * logN)) - 1)]!;
}

export function body(pick: () => string, random: Random): string {
  const length = 2 + Math.floor(random() * random() * 30); // mostly short, some long
  const words: string[] = [];
  for (let i = 0; i < length; i++) words.push(pick());
  const text = words.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}${random() < 0.3 ? '?' : '.'}`;
}

export interface BenchConversation {
  conversation: Conversation;
  nextSeq: number;
}

export function conversations(count: number, me: string, createdAt: number, random: Random): BenchConversation[] {
  const out: BenchConversation[] = [];
  for (let i = 0; i < count; i++) {
    const group = i % 5 === 0;
    const others = group ? 2 + Math.floor(random() * 8) : 1;
    const members: Member[] = [me, ...Array.from({ length: others }, (_, k) => `u${i}x${k}`)].map((userId, k) => ({
      userId,
      username: `user-${userId}`,
      displayName: k % 2 ? null : `User ${userId}`,
      role: group && k === 0 ? 'owner' : 'member',
      state: 'accepted',
      invitedBy: null,
      deliveredSeq: 0,
      readSeq: 0,
    }));
    const conversation: Conversation = {
      id: `c_${i.toString(36).padStart(16, 'q')}`, // the server's ids: c_ and 16 base64url characters
      kind: group ? 'group' : 'direct',
      title: group ? `Group ${i}` : null,
      createdAt,
      lastSeq: 0,
      lastMessage: null,
      unread: 0,
      members,
    };
    out.push({ conversation, nextSeq: 1 });
  }
  return out;
}

/**
 * The next batch of live traffic: each message goes to a conversation drawn with a skew
 * (a few chatty conversations, a long quiet tail), from one of its members; seq 1 of every
 * conversation is its 'created' system entry. Interleaved like this, a batch touches a
 * different part of the (conversation, seq) index for nearly every message: the hard case.
 */
export function nextBatch(all: BenchConversation[], size: number, clock: { ts: number }, pick: () => string, random: Random): Message[] {
  const batch: Message[] = [];
  for (let i = 0; i < size; i++) {
    batch.push(nextMessage(all[Math.floor(all.length * random() * random())]!, clock, pick, random));
  }
  return batch;
}

/** A catch-up slice: runs of consecutive messages per conversation (1-100 each), as `sync` sends them. */
export function catchUpBatch(all: BenchConversation[], size: number, clock: { ts: number }, pick: () => string, random: Random): Message[] {
  const batch: Message[] = [];
  while (batch.length < size) {
    const c = all[Math.floor(all.length * random())]!;
    const run = Math.min(size - batch.length, 1 + Math.floor(random() * 100));
    for (let i = 0; i < run; i++) batch.push(nextMessage(c, clock, pick, random));
  }
  return batch;
}

function nextMessage(c: BenchConversation, clock: { ts: number }, pick: () => string, random: Random): Message {
  const members = c.conversation.members;
  const senderId = members[Math.floor(random() * members.length)]!.userId;
  clock.ts += 1 + Math.floor(random() * 400);
  const seq = c.nextSeq++;
  const conversationId = c.conversation.id;
  return seq === 1
    ? { kind: 'system', conversationId, seq, senderId, clientId: null, system: { event: 'created', title: c.conversation.title }, ts: clock.ts }
    : { kind: 'text', conversationId, seq, senderId, clientId: `m-${conversationId}-${seq}`, body: body(pick, random), ts: clock.ts };
}
