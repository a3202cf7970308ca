import { type FormEvent, useEffect, useRef, useState } from 'react';
import { BrandLine } from '../../../components/ui/brand-line.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { paths } from '../../../config/paths.ts';
import { ApiError } from '../../../lib/api-client.ts';
import { navigate } from '../../../lib/router.ts';
import { signIn } from '../api/sign-in.ts';
import { signUp } from '../api/sign-up.ts';
import { OAuthButtons } from './oauth-buttons.tsx';

interface AuthFormProps {
  mode: 'signIn' | 'signUp';
  /** An error brought back from an outside sign-in, or why signing in is asked for. */
  notice?: string | undefined;
  /** The line under the heading, when the page says why it asks (the greeting unless said). */
  lead?: string;
  /** The page to show once signed in (the list unless said). */
  returnTo?: string;
  /** Switches between signing in and signing up in place, for a page that must keep its address. */
  onSwitchMode?: () => void;
}

/** Sign in and sign up: the server's words go under the field they concern, the rest above the button. */
export function AuthForm({ mode, notice, lead, returnTo = paths.tasks, onSwitchMode }: AuthFormProps) {
  const signingUp = mode === 'signUp';
  const [values, setValues] = useState({ name: '', email: '', password: '' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | undefined>(notice);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    setFields({});
    setMessage(notice);
    heading.current?.focus();
  }, [notice]);

  const change = (name: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues((all) => ({ ...all, [name]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFields({});
    setMessage(undefined);
    try {
      if (signingUp) await signUp(values);
      else await signIn({ email: values.email, password: values.password });
      navigate(returnTo, { replace: true });
    } catch (error) {
      if (error instanceof ApiError) {
        const refusal = error.forForm(['name', 'email', 'username', 'password']);
        setFields(refusal.fields);
        setMessage(refusal.message);
      } else {
        setMessage('Something went wrong; please try again.');
      }
      setBusy(false);
    }
  }

  return (
    <main className="auth" id="main">
      <div className="auth-card">
        <BrandLine />
        <h1 ref={heading} tabIndex={-1}>
          {signingUp ? 'Create your account' : 'Sign in'}
        </h1>
        <p className="muted">
          {lead ??
            (signingUp
              ? 'Your tasks, quick to add and easy to find.'
              : 'Welcome back. Your tasks are waiting.')}
        </p>
        <form onSubmit={submit} noValidate>
          {signingUp && (
            <Field
              label="Name"
              name="name"
              autoComplete="name"
              value={values.name}
              onChange={change('name')}
              error={fields.name}
            />
          )}
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            value={values.email}
            onChange={change('email')}
            error={fields.email ?? fields.username}
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete={signingUp ? 'new-password' : 'current-password'}
            required
            hint={
              signingUp
                ? 'At least 8 characters.'
                : 'Forgot it? Doable sends no email: whoever runs this Doable can give you a new one.'
            }
            value={values.password}
            onChange={change('password')}
            error={fields.password}
          />
          {message && (
            <p className="form-error" role="alert">
              {message}
            </p>
          )}
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? 'One moment…' : signingUp ? 'Create account' : 'Sign in'}
          </button>
        </form>
        <OAuthButtons returnTo={returnTo} />
        <p className="switch">
          {signingUp ? 'Already have an account? ' : 'New to Doable? '}
          <a
            href={signingUp ? paths.signIn : paths.signUp}
            onClick={(event) => {
              event.preventDefault();
              if (onSwitchMode) onSwitchMode();
              else navigate(signingUp ? paths.signIn : paths.signUp);
            }}
          >
            {signingUp ? 'Sign in' : 'Create an account'}
          </a>
        </p>
      </div>
    </main>
  );
}
