import { afterEach, describe, expect, it } from 'vitest';
import type { Bus, Envelope } from '../../src/server/bus/bus';
import { LocalBus } from '../../src/server/bus/local-bus';
import { nextEvent, startTestServer, syncAll, type TestServer } from '../helpers/server';

/**
 * A group change must cost O(members) — serialised bytes are what the server spends on
 * it, whoever is online. This counts every byte of every frame the server publishes for
 * one change (one serialisation per published frame, however many sockets it reaches).
 */
class CountingBus implements Bus {
  private readonly inner = new LocalBus();
  bytes = 0;
  frames = 0;

  publish(envelope: Envelope): void {
    if (envelope.kind === 'deliver') {
      this.bytes += Buffer.byteLength(envelope.frame);
      this.frames++;
    }
    this.inner.publish(envelope);
  }

  subscribe(handler: (e: Envelope) => void): () => void {
    return this.inner.subscribe(handler);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  reset(): void {
    this.bytes = 0;
    this.frames = 0;
  }
}

let server: TestServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

/** A group of `size` members (everyone offline but the owner), and what one rename and one add cost in bytes published. */
async function costOf(size: number): Promise<{ rename: number; add: number; renameFrames: number }> {
  const bus = new CountingBus();
  server = await startTestServer({}, { bus, policy: { membersAddedPerHour: 10_000 } });
  const owner = await server.user();
  const socket = await owner.connect();
  await syncAll(socket);
  const members: string[] = [];
  // Straight through the accounts service: the HTTP credential limit is not what this measures.
  for (let i = 0; i < size - 1; i++) members.push((await server.auth.createUser(`member${i}x${size}`, 'long enough pw', null)).id);
  const { conversation } = await socket.request('conversation.createGroup', { title: 'big', memberIds: members });
  const late = (await server.auth.createUser(`latecomer${size}`, 'long enough pw', null)).id;

  bus.reset();
  const renamed = nextEvent(socket, 'conversation.changed');
  await socket.request('conversation.rename', { conversationId: conversation.id, title: 'bigger' });
  await renamed;
  const rename = bus.bytes;
  const renameFrames = bus.frames;

  bus.reset();
  await socket.request('conversation.addMembers', { conversationId: conversation.id, userIds: [late] });
  const add = bus.bytes;
  await server.stop();
  server = null;
  return { rename, add, renameFrames };
}

describe('the cost of a group change', () => {
  it('a rename costs the same in a 255-member group as in a 16-member one; adding a member grows linearly', async () => {
    const small = await costOf(16);
    const large = await costOf(255); // the add makes it 256, the cap
    // One system entry and one patch, whatever the size (titles and ids are the same length).
    expect(large.renameFrames).toBe(2);
    expect(large.rename).toBeLessThan(1_000);
    expect(large.rename).toBe(small.rename);
    // The newcomer needs the whole member list once: ~16× the members, well under 16² = 256×.
    expect(large.add / small.add).toBeLessThan(20);
    expect(large.add).toBeLessThan(256 * 300);
  }, 60_000);
});
