/** Sign-in, forgot-password, set-password and account pages. */

import type { Child, FC } from 'hono/jsx';
import { Field, type FieldErrors, Form, FormError } from '../../views/forms.js';
import { PASSWORD_RESET_TTL } from './password-reset.js';
import { duration } from './sign-in-links.js';
import type { WayIn } from './slots.js';

/**
 * Other ways in, as buttons; only paths on this site are shown. `next` (where the sign-in page was
 * asked to lead) rides along, for the provider's flow to check with the same rules as a password's.
 */
export const OtherWaysIn: FC<{ ways: readonly WayIn[]; next?: string }> = ({ ways, next }) => {
  const shown = ways.filter((w) => w.href.startsWith('/') && !w.href.startsWith('//'));
  // Home is where a sign-in leads anyway: only another place rides along.
  const withNext = (href: string) =>
    next && next !== '/' ? `${href}${href.includes('?') ? '&' : '?'}next=${encodeURIComponent(next)}` : href;
  return shown.length ? (
    <nav aria-label="Other ways to sign in" class="ways-in">
      <ul>
        {shown.map((w) => (
          <li>
            <a class="button secondary" href={withNext(w.href)}>
              {w.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  ) : null;
};

export const SignInForm: FC<{
  email: string;
  next: string;
  errors: FieldErrors;
  ways?: readonly WayIn[];
}> = ({ email, next, errors, ways = [] }) => (
  <section class="narrow">
    <h1>Sign in</h1>
    <Form action="/sign-in">
      <FormError error={errors._form} />
      <input type="hidden" name="next" value={next} />
      <Field
        name="email"
        label="Email"
        type="email"
        value={email}
        error={errors.email}
        autocomplete="username"
        required
      />
      <Field
        name="password"
        label="Password"
        type="password"
        error={errors.password}
        autocomplete="current-password"
        required
      />
      <button type="submit">Sign in</button>
    </Form>
    <OtherWaysIn ways={ways} next={next} />
    <p>
      <a href="/forgot-password">Forgot your password?</a>
    </p>
    <p>
      A client of the firm? <a href="/sign-in/link">Email me a sign-in link</a>
    </p>
  </section>
);

/** The one answer to every reset request, whoever the address belongs to. */
export const RESET_SENT = `If that is the email of a staff account here, a link to choose a new password is on its way. Check your email: the link lasts ${duration(PASSWORD_RESET_TTL)}.`;

export const ForgotPasswordForm: FC<{ email: string; errors: FieldErrors; sent: boolean }> = (p) => (
  <section class="narrow">
    <h1>Forgot your password?</h1>
    {p.sent ? <p role="status">{RESET_SENT}</p> : null}
    <p>Enter the email you sign in with. We email you a link to choose a new password.</p>
    <Form action="/forgot-password">
      <FormError error={p.errors._form} />
      <Field
        name="email"
        label="Email"
        type="email"
        value={p.email}
        error={p.errors.email}
        autocomplete="username"
        required
      />
      <button type="submit">Email me a link</button>
    </Form>
    <p>
      <a href="/sign-in">Back to sign in</a>
    </p>
    <p>
      A client of the firm? You need no password: <a href="/sign-in/link">email me a sign-in link</a>.
    </p>
  </section>
);

export const NewPasswordFields: FC<{ errors: FieldErrors }> = ({ errors }) => (
  <>
    <Field
      name="password"
      label="New password"
      type="password"
      error={errors.password}
      autocomplete="new-password"
      hint="At least 12 characters."
      required
    />
    <Field
      name="passwordConfirm"
      label="Repeat new password"
      type="password"
      error={errors.passwordConfirm}
      autocomplete="new-password"
      required
    />
  </>
);

export const SetPasswordForm: FC<{ action: string; email: string; errors: FieldErrors }> = ({
  action,
  email,
  errors,
}) => (
  <section class="narrow">
    <h1>Choose your password</h1>
    <p>
      This sets the password for <strong>{email}</strong>.
    </p>
    <Form action={action}>
      <FormError error={errors._form} />
      <NewPasswordFields errors={errors} />
      <button type="submit">Set password and sign in</button>
    </Form>
  </section>
);

/** A set-password link that is unknown, used, expired or replaced by a newer one. */
export const PasswordLinkGone: FC = () => (
  <section class="narrow">
    <h1>This link has expired or was already used</h1>
    <p>Set-password links work once, for a limited time, and a newer link replaces older ones.</p>
    <p>
      <a href="/forgot-password">Email me a new link</a>, or ask an Admin of your firm for one.
    </p>
  </section>
);

const PasswordChange: FC<{ errors: FieldErrors }> = ({ errors }) => (
  <>
    <h2>Change password</h2>
    <p class="hint">Changing your password signs you out everywhere else.</p>
    <Form action="/account/password">
      <FormError error={errors._form} />
      <Field
        name="currentPassword"
        label="Current password"
        type="password"
        error={errors.currentPassword}
        autocomplete="current-password"
        required
      />
      <NewPasswordFields errors={errors} />
      <button type="submit">Change password</button>
    </Form>
  </>
);

export const AccountPage: FC<{
  name: string;
  email: string;
  otherSessions: number;
  /** Staff change their password here; contacts have none (they sign in by link). */
  usesPassword: boolean;
  errors: FieldErrors;
  /** What other features and plugins show here (the slot 'account.panels'). */
  panels?: readonly Child[];
}> = (p) => (
  <section class="narrow">
    <h1>Your account</h1>
    <p>
      {p.name} · {p.email}
    </p>
    {p.usesPassword ? <PasswordChange errors={p.errors} /> : null}
    {p.panels}
    <h2>Sessions</h2>
    <p>
      {p.otherSessions === 0
        ? 'You are not signed in anywhere else.'
        : `You are signed in on ${p.otherSessions} other ${p.otherSessions === 1 ? 'browser or device' : 'browsers or devices'}.`}
    </p>
    <form method="post" action="/account/sign-out-others">
      <button type="submit" class="secondary" disabled={p.otherSessions === 0}>
        Sign out of every other session
      </button>
    </form>
  </section>
);
