/** The sign-in link pages: ask for a link, confirm one, and the page of a link that is no longer good. */
import type { FC } from 'hono/jsx';
import { EmailAddress } from '../../views/email-address.js';
import { Field, type FieldErrors, Form, FormError } from '../../views/forms.js';
import type { WayIn } from './slots.js';
import { OtherWaysIn } from './views.js';

export const LINK_SENT = 'If that address can sign in, a link is on its way. Check your email.';

export const AskForLinkForm: FC<{
  email: string;
  errors: FieldErrors;
  sent: boolean;
  ways?: readonly WayIn[];
}> = (p) => (
  <section class="narrow">
    <h1>Email me a sign-in link</h1>
    {p.sent ? <p role="status">{LINK_SENT}</p> : null}
    <p>For the firm's clients: we email you a link that signs you in, with no password.</p>
    <Form action="/sign-in/link">
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
      <button type="submit">Email me a sign-in link</button>
    </Form>
    <OtherWaysIn ways={p.ways ?? []} />
    <p>
      <a href="/sign-in">Sign in with a password</a>
    </p>
  </section>
);

export const ConfirmLink: FC<{ action: string; name: string; email: string }> = (p) => (
  <section class="narrow">
    <h1>
      Sign in as {p.name}{' '}
      <span class="subline">
        (<EmailAddress address={p.email} />)
      </span>
    </h1>
    <p>This link signs you in to the client portal once. If this is not you, close this page.</p>
    <Form action={p.action}>
      <button type="submit">Sign in</button>
    </Form>
  </section>
);

export const LinkGone: FC<{ action: string; sent: boolean }> = (p) => (
  <section class="narrow">
    <h1>This link has expired or was already used</h1>
    {p.sent ? (
      <p role="status">{LINK_SENT}</p>
    ) : (
      <>
        <p>Sign-in links work once, for a short time. We can email a new one to the same address.</p>
        <Form action={p.action}>
          <button type="submit">Email me a new link</button>
        </Form>
      </>
    )}
  </section>
);
