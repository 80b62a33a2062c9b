import type { Account, ServerInfo } from '../state/types';
import { errorCode, errorMessage } from '../state/bridge';
import { Store } from '../state/store';
import { describeAuthError, unreachableText, type AuthErrorText, type AuthField } from './auth-errors';
import { hostOf, normaliseServerAddress } from './server-address';

export type SignInMode = 'signIn' | 'register';

/** What the form needs from the session: the three calls, so tests can script them. */
export interface SignInPort {
  signIn(serverUrl: string, username: string, password: string): Promise<Account>;
  register(serverUrl: string, username: string, password: string, displayName?: string): Promise<Account>;
  serverInfo(serverUrl: string): Promise<ServerInfo>;
}

/** The answer about the address in the field (asked when it loses focus). */
export type ServerCheck =
  | { status: 'idle' }
  | { status: 'checking'; url: string }
  | { status: 'ok'; url: string; registrationOpen: boolean }
  | { status: 'failed'; url: string; text: string };

export interface SignInState {
  mode: SignInMode;
  server: string;
  username: string;
  password: string;
  displayName: string;
  busy: boolean;
  error: AuthErrorText | null;
  check: ServerCheck;
  /** Bumped on each new error, so the view moves focus again even when the text repeats. */
  errorSeq: number;
}

export type TextField = 'server' | 'username' | 'password' | 'displayName';

/**
 * The sign-in / create-account form: fields, the server check, submission and the error
 * to show. Answers that arrive after the address changed (or the form went away) are dropped.
 */
export class SignInForm extends Store<SignInState> {
  private checkToken = 0;
  private serverTouched = false;
  /** Bumped by dispose(): answers in flight are dropped, but the form keeps working (React's strict mode remounts). */
  private generation = 0;

  constructor(private readonly port: SignInPort) {
    super({ mode: 'signIn', server: '', username: '', password: '', displayName: '', busy: false, error: null, check: { status: 'idle' }, errorSeq: 0 });
  }

  /** The remembered server (settings arrive a moment after the screen): used unless the user already typed one. */
  prefillServer(url: string | null): void {
    if (url === null || this.serverTouched) return;
    if (this.current.server === '') this.update({ server: url });
    // Also after a remount: the check that was in flight was dropped by dispose().
    if (this.current.server === url) void this.checkServer();
  }

  setMode(mode: SignInMode): void {
    if (mode !== this.current.mode) this.update({ mode, error: null });
  }

  setField(field: TextField, value: string): void {
    if (field === 'server') {
      this.serverTouched = true;
      // The answer about the previous address no longer applies.
      this.checkToken++;
      this.update({ server: value, check: { status: 'idle' } });
      return;
    }
    this.update({ [field]: value });
  }

  /** Whether "Create account" can be pressed: not when the server said registration is closed. */
  get registrationClosed(): boolean {
    const { check, server } = this.current;
    return check.status === 'ok' && !check.registrationOpen && check.url === normaliseServerAddress(server);
  }

  /** On blur of the address: normalise what was typed and ask the server about itself. */
  async checkServer(): Promise<void> {
    const url = normaliseServerAddress(this.current.server);
    if (url === null) return;
    if (url !== this.current.server) this.update({ server: url });
    const { check } = this.current;
    if (check.status !== 'idle' && check.url === url) return;
    const token = ++this.checkToken;
    this.update({ check: { status: 'checking', url } });
    let next: ServerCheck;
    try {
      const info = await this.port.serverInfo(url);
      next = { status: 'ok', url, registrationOpen: info.registrationOpen };
    } catch (error) {
      const described = describeAuthError(errorCode(error), errorMessage(error), hostOf(url));
      next = { status: 'failed', url, text: described.field === 'server' ? described.text : unreachableText(hostOf(url)) };
    }
    if (token !== this.checkToken) return;
    this.update({ check: next });
  }

  async submit(): Promise<void> {
    const s = this.current;
    if (s.busy) return;
    const url = normaliseServerAddress(s.server);
    const invalid = this.validate(url);
    if (invalid) return this.fail(invalid);
    if (s.mode === 'register' && this.registrationClosed) return this.fail({ text: 'Registration is closed on this server. Ask its administrator for an account.', field: null });
    if (url === null) return;
    this.update({ busy: true, error: null, server: url });
    const generation = this.generation;
    try {
      if (s.mode === 'signIn') await this.port.signIn(url, s.username.trim(), s.password);
      else await this.port.register(url, s.username.trim(), s.password, s.displayName.trim() || undefined);
      // The app switches to the main screen on the `account` event; nothing more to do here.
      if (generation === this.generation) this.update({ busy: false });
    } catch (error) {
      if (generation !== this.generation) return;
      // The server said so itself: keep "Create account" disabled for this address.
      const check: ServerCheck = errorCode(error) === 'registration_closed' ? { status: 'ok', url, registrationOpen: false } : this.current.check;
      this.update({ busy: false, check });
      this.fail(describeAuthError(errorCode(error), errorMessage(error), hostOf(url)));
    }
  }

  dispose(): void {
    this.generation++;
    this.checkToken++;
    const { check, busy } = this.current;
    if (check.status === 'checking' || busy) this.update({ busy: false, ...(check.status === 'checking' ? { check: { status: 'idle' as const } } : {}) });
  }

  private validate(url: string | null): AuthErrorText | null {
    const s = this.current;
    if (s.server.trim() === '') return { text: 'Enter the server address, like https://chat.example.com.', field: 'server' };
    if (url === null) return { text: 'That is not a server address. Use one like https://chat.example.com.', field: 'server' };
    if (s.username.trim() === '') return { text: 'Enter your username.', field: 'username' };
    if (s.password === '') return { text: s.mode === 'register' ? 'Choose a password.' : 'Enter your password.', field: 'password' };
    return null;
  }

  private fail(error: AuthErrorText): void {
    this.update({ error, errorSeq: this.current.errorSeq + 1 });
  }
}

export type { AuthField };
