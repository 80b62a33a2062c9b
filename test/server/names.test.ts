import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawClient, startTestServer, syncAll, type TestServer } from '../helpers/server';

/** Names and bodies at the server's edge: what cannot be read as written is refused before anything is stored. */
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

describe('names and bodies at the edge', () => {
  it('refuses display names and device names that hide characters, and stores NFC', async () => {
    await expect(server.http.register({ username: 'spoofer', password: 'long enough pw', displayName: 'Admin\u202Egnp.exe' })).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'displayName: contains an invisible or control character (U+202E)',
    });
    await expect(server.http.register({ username: 'ghost', password: 'long enough pw', displayName: '\u200B\u200C' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(server.http.register({ username: 'device', password: 'long enough pw', deviceName: 'Laptop\u0000' })).rejects.toMatchObject({ code: 'invalid_request' });
    const ok = await server.http.register({ username: 'zoe', password: 'long enough pw', displayName: 'Zoe\u0301  Lee' });
    expect(ok.user.displayName).toBe('Zoé Lee');
  });

  it('refuses group titles that hide characters', async () => {
    const alice = await server.user();
    const a = await alice.connect();
    await syncAll(a);
    await expect(a.request('conversation.createGroup', { title: '\u2066\u2069', memberIds: [] })).rejects.toMatchObject({ code: 'bad_frame' });
    await expect(a.request('conversation.createGroup', { title: 'x'.repeat(129), memberIds: [] })).rejects.toMatchObject({ code: 'too_large' });
    const { conversation } = await a.request('conversation.createGroup', { title: 'Team 👨‍👩‍👧', memberIds: [] });
    await expect(a.request('conversation.rename', { conversationId: conversation.id, title: 'Team\u200B' })).rejects.toMatchObject({ code: 'bad_frame' });
  });

  it('a body with a lone surrogate is refused before anything is stored, so a retry cannot turn into a conflict', async () => {
    const alice = await server.user();
    const a = await alice.connect();
    await syncAll(a);
    const { conversation } = await a.request('conversation.createGroup', { title: 'g', memberIds: [] });
    const raw = await rawClient(server, { token: alice.tokens.accessToken });
    // JSON can carry a lone surrogate as an escape; a JS string can hold it; UTF-8 cannot.
    const frame = `{"type":"message.send","id":"1","conversationId":"${conversation.id}","clientId":"019396d7-9fee-7b02-8d4c-1a9e3f5b7c60","body":"half \\ud83d"}`;
    raw.ws.send(frame);
    const answer = await raw.next((f) => f['id'] === '1');
    expect(answer).toMatchObject({ type: 'error', code: 'bad_frame', message: 'body: not valid Unicode text (it contains a lone surrogate)' });
    expect((await a.history(conversation.id)).messages.map((m) => m.kind)).toEqual(['system']);
    raw.ws.close();
  });
});
