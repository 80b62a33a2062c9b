// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeCourier, renderApp, SIGNED_IN } from '../test-support/account-search-harness';
import { SignInScreen } from './sign-in-screen';

afterEach(cleanup);

function signedOut(lastServerUrl: string | null = null) {
  return fakeCourier({ account: null, settings: { lastServerUrl } }).handle('server.info', () => ({ name: 'courier', version: '1', protocol: '1', registrationOpen: true }));
}

describe('SignInScreen', () => {
  it('signs in with the normalised address when Enter is pressed', async () => {
    const user = userEvent.setup();
    const fake = signedOut().handle('session.signIn', () => SIGNED_IN);
    await renderApp(fake, <SignInScreen />);
    expect(screen.getByRole('main')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Courier' })).toBeTruthy();
    await user.type(screen.getByLabelText('Server address'), '  chat.example.com ');
    await user.type(screen.getByLabelText('Username'), 'me');
    await user.type(screen.getByLabelText('Password'), 'correct horse{Enter}');
    await waitFor(() => expect(fake.callsOf('session.signIn')).toEqual([{ serverUrl: 'https://chat.example.com', username: 'me', password: 'correct horse' }]));
    expect(fake.callsOf('server.info')).toEqual([{ serverUrl: 'https://chat.example.com' }]);
  });

  it('prefills the last server and shows the password on request', async () => {
    const user = userEvent.setup();
    await renderApp(signedOut('http://localhost:8080'), <SignInScreen />);
    expect((screen.getByLabelText('Server address') as HTMLInputElement).value).toBe('http://localhost:8080');
    const password = screen.getByLabelText('Password') as HTMLInputElement;
    expect(password.type).toBe('password');
    await user.click(screen.getByRole('button', { name: 'Show password' }));
    expect(password.type).toBe('text');
    await user.click(screen.getByRole('button', { name: 'Hide password' }));
    expect(password.type).toBe('password');
  });

  it('shows a wrong password as an alert and keeps focus on the password', async () => {
    const user = userEvent.setup();
    const fake = signedOut('https://chat.example.com').fail('session.signIn', 'invalid_credentials', 'wrong username or password');
    await renderApp(fake, <SignInScreen />);
    await user.type(screen.getByLabelText('Username'), 'me');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Wrong username or password.'));
    const password = screen.getByLabelText('Password');
    expect(document.activeElement).toBe(password);
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('button', { name: 'Sign in' }).hasAttribute('disabled')).toBe(false);
  });

  it('names the unreachable server', async () => {
    const user = userEvent.setup();
    const fake = signedOut().fail('server.info', 'network', 'fetch failed').fail('session.signIn', 'network', 'cannot reach https://down.example: fetch failed');
    await renderApp(fake, <SignInScreen />);
    await user.type(screen.getByLabelText('Server address'), 'down.example');
    await user.tab();
    await screen.findByText("Can't reach down.example. Check the address and your connection.");
    await user.type(screen.getByLabelText('Username'), 'me');
    await user.type(screen.getByLabelText('Password'), 'pw{Enter}');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe("Can't reach down.example. Check the address and your connection."));
    expect(document.activeElement).toBe(screen.getByLabelText('Server address'));
  });

  it('is busy while signing in', async () => {
    const user = userEvent.setup();
    let finish: () => void = () => undefined;
    const fake = signedOut('https://chat.example.com').handle('session.signIn', () => new Promise((resolve) => (finish = () => resolve(SIGNED_IN))));
    await renderApp(fake, <SignInScreen />);
    await user.type(screen.getByLabelText('Username'), 'me');
    await user.type(screen.getByLabelText('Password'), 'pw{Enter}');
    const button = await screen.findByRole('button', { name: 'Signing in…' });
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(button.hasAttribute('disabled')).toBe(true);
    finish();
    await screen.findByRole('button', { name: 'Sign in' });
  });

  it('disables Create account when the server has registration closed', async () => {
    const user = userEvent.setup();
    const fake = signedOut().handle('server.info', () => ({ name: 'courier', version: '1', protocol: '1', registrationOpen: false }));
    await renderApp(fake, <SignInScreen />);
    await user.click(screen.getByRole('tab', { name: 'Create account' }));
    expect(screen.getByRole('tab', { name: 'Create account' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByLabelText(/Display name/)).toBeTruthy();
    await user.type(screen.getByLabelText('Server address'), 'closed.example');
    await user.tab();
    await screen.findByText('Registration is closed on this server.');
    expect(screen.getByRole('button', { name: 'Create account' }).hasAttribute('disabled')).toBe(true);
    // Signing in is still possible there.
    await user.click(screen.getByRole('tab', { name: 'Sign in' }));
    expect(screen.getByRole('button', { name: 'Sign in' }).hasAttribute('disabled')).toBe(false);
  });

  it('registers with a display name and shows a taken username on that field', async () => {
    const user = userEvent.setup();
    const fake = signedOut('https://chat.example.com').fail('session.register', 'username_taken', 'the username "me" is taken');
    await renderApp(fake, <SignInScreen />);
    screen.getByRole('tab', { name: 'Sign in' }).focus();
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Create account' }));
    await user.type(screen.getByLabelText('Username'), 'me');
    await user.type(screen.getByLabelText('Password'), 'longenough');
    await user.type(screen.getByLabelText(/Display name/), 'Me{Enter}');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('That username is taken. Choose another one.'));
    expect(fake.callsOf('session.register')).toEqual([{ serverUrl: 'https://chat.example.com', username: 'me', password: 'longenough', displayName: 'Me' }]);
    expect(document.activeElement).toBe(screen.getByLabelText('Username'));
  });
});

