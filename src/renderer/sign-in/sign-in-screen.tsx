import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactElement } from 'react';
import { useApp } from '../state/app-context';
import { useStore } from '../state/use-store';
import type { AuthField } from './auth-errors';
import { SignInForm, type SignInMode } from './sign-in-form';
import './sign-in.css';

const MODES: ReadonlyArray<{ mode: SignInMode; label: string }> = [
  { mode: 'signIn', label: 'Sign in' },
  { mode: 'register', label: 'Create account' },
];

/**
 * Full-window screen while no account is signed in. Signing in stores the account in the
 * engine; the App swaps this screen out when the `account` event arrives.
 */
export function SignInScreen(): ReactElement {
  const app = useApp();
  const [form] = useState(() => new SignInForm(app.session));
  useEffect(() => () => form.dispose(), [form]);
  const state = useStore(form);
  const { settings } = useStore(app.session);
  const lastServerUrl = settings?.lastServerUrl ?? null;
  useEffect(() => form.prefillServer(lastServerUrl), [form, lastServerUrl]);

  const [showPassword, setShowPassword] = useState(false);
  const id = useId();
  const fieldRefs = {
    server: useRef<HTMLInputElement>(null),
    username: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    displayName: useRef<HTMLInputElement>(null),
  } satisfies Record<AuthField, unknown>;
  const alertRef = useRef<HTMLDivElement>(null);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);

  // A new error takes focus to the field it is about, or to the message itself.
  const { errorSeq, error } = state;
  useEffect(() => {
    if (errorSeq === 0 || error === null) return;
    const target = error.field ? fieldRefs[error.field].current : null;
    (target ?? alertRef.current)?.focus();
    // Only a new error moves focus (the refs are stable).
  }, [errorSeq]);

  const register = state.mode === 'register';
  const closed = register && form.registrationClosed;
  const check = state.check;
  const serverNote =
    check.status === 'failed' ? check.text : check.status === 'checking' ? 'Checking the server…' : closed ? 'Registration is closed on this server.' : null;
  const errorId = `${id}-error`;
  const serverNoteId = `${id}-server-note`;

  function onSubmit(e: FormEvent): void {
    e.preventDefault();
    void form.submit();
  }

  function onTabKey(e: KeyboardEvent<HTMLButtonElement>, index: number): void {
    const last = MODES.length - 1;
    const next = e.key === 'ArrowRight' ? (index === last ? 0 : index + 1) : e.key === 'ArrowLeft' ? (index === 0 ? last : index - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (next === null) return;
    e.preventDefault();
    const target = MODES[next];
    if (target) form.setMode(target.mode);
    tabRefs.current[next]?.focus();
  }

  function describedBy(field: AuthField, extra?: string): string | undefined {
    const ids = [extra, error?.field === field ? errorId : undefined].filter(Boolean);
    return ids.length > 0 ? ids.join(' ') : undefined;
  }

  return (
    <main className="sign-in">
      <div className="sign-in__card">
        <h1 className="sign-in__title">Courier</h1>
        <p className="sign-in__subtitle">Messages on your own server.</p>

        <div className="sign-in__tabs" role="tablist" aria-label="Sign in or create an account">
          {MODES.map((m, index) => (
            <button
              key={m.mode}
              ref={(el) => {
                tabRefs.current[index] = el;
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${m.mode}`}
              aria-selected={state.mode === m.mode}
              aria-controls={`${id}-panel`}
              tabIndex={state.mode === m.mode ? 0 : -1}
              className="sign-in__tab"
              onClick={() => form.setMode(m.mode)}
              onKeyDown={(e) => onTabKey(e, index)}
            >
              {m.label}
            </button>
          ))}
        </div>

        <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${state.mode}`}>
          <form className="sign-in__form" onSubmit={onSubmit} noValidate>
            <div className="field">
              <label className="field__label" htmlFor={`${id}-server`}>
                Server address
              </label>
              <input
                ref={fieldRefs.server}
                id={`${id}-server`}
                className="input"
                type="url"
                inputMode="url"
                autoComplete="url"
                spellCheck={false}
                placeholder="https://chat.example.com"
                value={state.server}
                aria-invalid={error?.field === 'server' || undefined}
                aria-describedby={describedBy('server', serverNote ? serverNoteId : undefined)}
                onChange={(e) => form.setField('server', e.target.value)}
                onBlur={() => void form.checkServer()}
              />
              <p id={serverNoteId} className={`field__hint sign-in__server-note${check.status === 'failed' || closed ? ' sign-in__server-note--warn' : ''}`} aria-live="polite">
                {serverNote}
              </p>
            </div>

            <div className="field">
              <label className="field__label" htmlFor={`${id}-username`}>
                Username
              </label>
              <input
                ref={fieldRefs.username}
                id={`${id}-username`}
                className="input"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                value={state.username}
                aria-invalid={error?.field === 'username' || undefined}
                aria-describedby={describedBy('username')}
                onChange={(e) => form.setField('username', e.target.value)}
              />
            </div>

            <div className="field">
              <label className="field__label" htmlFor={`${id}-password`}>
                Password
              </label>
              <div className="sign-in__password">
                <input
                  ref={fieldRefs.password}
                  id={`${id}-password`}
                  className="input sign-in__password-input"
                  type={showPassword ? 'text' : 'password'}
                  autoComplete={register ? 'new-password' : 'current-password'}
                  value={state.password}
                  aria-invalid={error?.field === 'password' || undefined}
                  aria-describedby={describedBy('password', register ? `${id}-password-hint` : undefined)}
                  onChange={(e) => form.setField('password', e.target.value)}
                />
                <button
                  type="button"
                  className="btn btn--secondary sign-in__reveal"
                  aria-label={showPassword ? 'Hide password' : 'Show password'}
                  onClick={() => setShowPassword((v) => !v)}
                >
                  {showPassword ? 'Hide' : 'Show'}
                </button>
              </div>
              {register && (
                <p id={`${id}-password-hint`} className="field__hint">
                  At least 8 characters.
                </p>
              )}
            </div>

            {register && (
              <div className="field">
                <label className="field__label" htmlFor={`${id}-display-name`}>
                  Display name <span className="sign-in__optional">(optional)</span>
                </label>
                <input
                  ref={fieldRefs.displayName}
                  id={`${id}-display-name`}
                  className="input"
                  autoComplete="name"
                  maxLength={64}
                  value={state.displayName}
                  aria-invalid={error?.field === 'displayName' || undefined}
                  aria-describedby={describedBy('displayName', `${id}-display-name-hint`)}
                  onChange={(e) => form.setField('displayName', e.target.value)}
                />
                <p id={`${id}-display-name-hint`} className="field__hint">
                  What others see instead of your username.
                </p>
              </div>
            )}

            <div id={errorId} ref={alertRef} role="alert" tabIndex={-1} className={error ? 'form-error sign-in__error' : 'sign-in__error--empty'}>
              {error?.text}
            </div>

            <button type="submit" className="btn sign-in__submit" disabled={state.busy || closed} aria-busy={state.busy}>
              {state.busy ? (register ? 'Creating account…' : 'Signing in…') : register ? 'Create account' : 'Sign in'}
            </button>
          </form>
        </div>
      </div>
    </main>
  );
}
