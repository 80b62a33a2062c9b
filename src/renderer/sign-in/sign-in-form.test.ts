import { describe, expect, it, vi } from 'vitest';
import { BridgeError } from '../state/bridge';
import type { Account, ServerInfo } from '../state/types';
import { SignInForm, type SignInPort } from './sign-in-form';

const account: Account = { serverUrl: 'https://chat.example.com', userId: 'u_ann', username: 'ann', displayName: null, sessionId: 's1' };
const info = (registrationOpen: boolean): ServerInfo => ({ name: 'courier', version: '1', protocol: '1', registrationOpen });

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function port(over: Partial<SignInPort> = {}): SignInPort {
  return {
    signIn: vi.fn(async () => account),
    register: vi.fn(async () => account),
    serverInfo: vi.fn(async () => info(true)),
    ...over,
  };
}

describe('SignInForm', () => {
  it('signs in with the normalised address and trimmed username', async () => {
    const p = port();
    const form = new SignInForm(p);
    form.setField('server', ' chat.example.com ');
    form.setField('username', ' ann ');
    form.setField('password', ' secret pw');
    await form.submit();
    expect(p.signIn).toHaveBeenCalledWith('https://chat.example.com', 'ann', ' secret pw');
    expect(form.getSnapshot()).toMatchObject({ busy: false, error: null, server: 'https://chat.example.com' });
  });

  it('is busy while the request is in flight and submits only once', async () => {
    const d = deferred<Account>();
    const p = port({ signIn: vi.fn(() => d.promise) });
    const form = new SignInForm(p);
    form.setField('server', 'https://a.example');
    form.setField('username', 'ann');
    form.setField('password', 'pw');
    const first = form.submit();
    expect(form.getSnapshot().busy).toBe(true);
    void form.submit();
    d.resolve(account);
    await first;
    expect(p.signIn).toHaveBeenCalledTimes(1);
    expect(form.getSnapshot().busy).toBe(false);
  });

  it('turns a refusal into a sentence about the right field', async () => {
    const p = port({ signIn: vi.fn(async () => Promise.reject(new BridgeError({ code: 'invalid_credentials', message: 'wrong username or password' }))) });
    const form = new SignInForm(p);
    form.setField('server', 'a.example');
    form.setField('username', 'ann');
    form.setField('password', 'nope');
    await form.submit();
    expect(form.getSnapshot().error).toEqual({ text: 'Wrong username or password.', field: 'password' });
    expect(form.getSnapshot().errorSeq).toBe(1);
  });

  it('checks the fields before calling anything', async () => {
    const p = port();
    const form = new SignInForm(p);
    await form.submit();
    expect(form.getSnapshot().error?.field).toBe('server');
    form.setField('server', 'a.example');
    await form.submit();
    expect(form.getSnapshot().error?.field).toBe('username');
    form.setField('username', 'ann');
    await form.submit();
    expect(form.getSnapshot().error).toEqual({ text: 'Enter your password.', field: 'password' });
    expect(p.signIn).not.toHaveBeenCalled();
  });

  it('registers with the optional display name', async () => {
    const p = port();
    const form = new SignInForm(p);
    form.setMode('register');
    form.setField('server', 'http://localhost:8080');
    form.setField('username', 'ann');
    form.setField('password', 'longenough');
    await form.submit();
    expect(p.register).toHaveBeenLastCalledWith('http://localhost:8080', 'ann', 'longenough', undefined);
    form.setField('displayName', '  Ann A ');
    await form.submit();
    expect(p.register).toHaveBeenLastCalledWith('http://localhost:8080', 'ann', 'longenough', 'Ann A');
  });

  it('learns that registration is closed and refuses to submit a registration', async () => {
    const p = port({ serverInfo: vi.fn(async () => info(false)) });
    const form = new SignInForm(p);
    form.setMode('register');
    form.setField('server', 'closed.example');
    await form.checkServer();
    expect(p.serverInfo).toHaveBeenCalledWith('https://closed.example');
    expect(form.registrationClosed).toBe(true);
    form.setField('username', 'ann');
    form.setField('password', 'longenough');
    await form.submit();
    expect(p.register).not.toHaveBeenCalled();
    // Another address: the answer no longer applies.
    form.setField('server', 'open.example');
    expect(form.registrationClosed).toBe(false);
  });

  it('remembers a registration refused as closed', async () => {
    const p = port({ register: vi.fn(async () => Promise.reject(new BridgeError({ code: 'registration_closed', message: 'registration is closed on this server' }))) });
    const form = new SignInForm(p);
    form.setMode('register');
    form.setField('server', 'closed.example');
    form.setField('username', 'ann');
    form.setField('password', 'longenough');
    await form.submit();
    expect(form.getSnapshot().error?.text).toMatch(/^Registration is closed on this server/);
    expect(form.registrationClosed).toBe(true);
  });

  it('ignores the answer about an address the user has since changed', async () => {
    const first = deferred<ServerInfo>();
    const second = deferred<ServerInfo>();
    const answers = [first.promise, second.promise];
    const form = new SignInForm(port({ serverInfo: vi.fn(() => answers.shift() ?? Promise.reject(new Error('no'))) }));
    form.setField('server', 'one.example');
    const a = form.checkServer();
    form.setField('server', 'two.example');
    const b = form.checkServer();
    second.resolve(info(true));
    await b;
    first.resolve(info(false));
    await a;
    expect(form.getSnapshot().check).toEqual({ status: 'ok', url: 'https://two.example', registrationOpen: true });
  });

  it("says it can't reach the server when the check fails, and asks once per address", async () => {
    const serverInfo = vi.fn(async () => Promise.reject(new BridgeError({ code: 'network', message: 'fetch failed' })));
    const form = new SignInForm(port({ serverInfo }));
    form.setField('server', 'down.example:8443');
    await form.checkServer();
    await form.checkServer();
    expect(form.getSnapshot().check).toEqual({ status: 'failed', url: 'https://down.example:8443', text: "Can't reach down.example:8443. Check the address and your connection." });
    expect(serverInfo).toHaveBeenCalledTimes(1);
  });

  it('prefills the remembered server unless the user typed one', () => {
    const form = new SignInForm(port());
    form.prefillServer('https://remembered.example');
    expect(form.getSnapshot().server).toBe('https://remembered.example');
    const typed = new SignInForm(port());
    typed.setField('server', 'mine.example');
    typed.prefillServer('https://remembered.example');
    expect(typed.getSnapshot().server).toBe('mine.example');
  });
});

describe('SignInForm after dispose() (React strict mode unmounts and remounts once, keeping the instance)', () => {
  it('drops the check in flight, checks again on the next prefill, and still shows a refused sign-in', async () => {
    const check = deferred<ServerInfo>();
    const p = port({
      serverInfo: vi.fn().mockReturnValueOnce(check.promise).mockResolvedValue(info(true)),
      signIn: vi.fn(async () => {
        throw new BridgeError({ code: 'invalid_credentials', message: 'wrong username or password' });
      }),
    });
    const form = new SignInForm(p);
    form.prefillServer('https://chat.example.com');
    form.dispose();
    expect(form.getSnapshot().check).toEqual({ status: 'idle' });
    form.prefillServer('https://chat.example.com');
    check.resolve(info(false)); // the dropped answer must not land
    await vi.waitFor(() => expect(form.getSnapshot().check).toEqual({ status: 'ok', url: 'https://chat.example.com', registrationOpen: true }));
    form.setField('username', 'ann');
    form.setField('password', 'nope');
    await form.submit();
    expect(form.getSnapshot()).toMatchObject({ busy: false, error: { text: 'Wrong username or password.' } });
  });
});
