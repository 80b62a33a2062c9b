import { describe, expect, it } from 'vitest';
import { describeAuthError } from './auth-errors';

const host = 'chat.example.com';

describe('describeAuthError', () => {
  it('says the username or password is wrong and points at the password', () => {
    expect(describeAuthError('invalid_credentials', 'wrong username or password', host)).toEqual({ text: 'Wrong username or password.', field: 'password' });
  });

  it('names the unreachable host for network, timeout and offline failures', () => {
    for (const code of ['network', 'timeout', 'offline']) {
      expect(describeAuthError(code, 'cannot reach https://chat.example.com: fetch failed', host)).toEqual({
        text: "Can't reach chat.example.com. Check the address and your connection.",
        field: 'server',
      });
    }
  });

  it('explains closed registration and a taken username', () => {
    expect(describeAuthError('registration_closed', 'registration is closed on this server; ask an administrator for an account', host).text).toMatch(/^Registration is closed/);
    expect(describeAuthError('username_taken', 'the username "ann" is taken', host)).toEqual({ text: 'That username is taken. Choose another one.', field: 'username' });
  });

  it("shows the server's rule for a username or password, on that field", () => {
    expect(describeAuthError('invalid_request', 'password: at least 8 characters', host)).toEqual({ text: 'Password: at least 8 characters.', field: 'password' });
    expect(describeAuthError('invalid_request', 'username: 3-32 letters, digits, _ . - (starting with a letter or digit)', host)).toEqual({
      text: 'Username: 3-32 letters, digits, _ . - (starting with a letter or digit).',
      field: 'username',
    });
    expect(describeAuthError('invalid_argument', 'serverUrl: expected an http:// or https:// address', host).field).toBe('server');
  });

  it('recognises an address that is not a Courier server', () => {
    expect(describeAuthError('invalid_request', 'HTTP 404 from /api/v1/auth/login', host)).toEqual({ text: "chat.example.com doesn't answer like a Courier server. Check the address.", field: 'server' });
    expect(describeAuthError('bad_frame', 'unexpected response from /api/v1/auth/login', host).field).toBe('server');
  });

  it('falls back to the message of an unknown code, as a sentence', () => {
    expect(describeAuthError('internal', 'Something went wrong inside Courier. Try again.', host)).toEqual({ text: 'Something went wrong inside Courier. Try again.', field: null });
    expect(describeAuthError('rate_limited', 'too many attempts; wait and try again', host).text).toMatch(/^Too many attempts/);
    expect(describeAuthError('weird', '', host).text).toBe('Something went wrong. Try again.');
  });
});
