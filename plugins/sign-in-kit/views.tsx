/** The refusal page, and a sign-in plugin's section of Your account (what is linked, and what may be). */
import type { FC } from 'hono/jsx';
import type { IdentityRow } from './store.js';

export const Refused: FC<{ sentence: string }> = ({ sentence }) => (
  <section>
    <h1>We could not sign you in</h1>
    <p role="alert">{sentence}</p>
    <ul class="action-links">
      <li>
        <a href="/sign-in">Back to sign in</a>
      </li>
      <li>
        <a href="/sign-in/link">Email me a sign-in link</a>
      </li>
    </ul>
  </section>
);

export interface MethodsProps {
  /** The plugin's id: its routes are under /p/<id>. */
  plugin: string;
  /** The section's heading, naming the plugin's providers: "Sign in with Google or Microsoft". */
  title: string;
  linked: (IdentityRow & { label: string })[];
  /** Providers not linked yet: where "Link Google" starts. */
  linkable: { label: string; href: string }[];
  /** Whether unlinking one would leave the person a way in. */
  mayUnlink: boolean;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const SignInMethods: FC<MethodsProps> = (p) => (
  <section aria-labelledby={`sign-in-methods-${p.plugin}`}>
    <h2 id={`sign-in-methods-${p.plugin}`}>{p.title}</h2>
    {p.linked.length ? (
      <ul class="panel-list" aria-label="Linked sign-in methods">
        {p.linked.map((identity) => (
          <li>
            <strong>{identity.label}</strong>
            {identity.email ? ` · ${identity.email}` : ''}
            <span class="muted"> · linked {day(identity.linked_at)}</span>{' '}
            {p.mayUnlink ? (
              <form method="post" action={`/p/${p.plugin}/identities/${identity.id}/unlink`} class="inline">
                <button type="submit" class="link">
                  Unlink {identity.label}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    ) : (
      <p>Not linked to your account yet.</p>
    )}
    {p.linked.length && !p.mayUnlink ? (
      <p class="muted">It is your only way in, so it cannot be unlinked.</p>
    ) : null}
    {p.linkable.length ? (
      <>
        <ul class="action-links">
          {p.linkable.map((l) => (
            <li>
              <a href={l.href}>Link {l.label}</a>
            </li>
          ))}
        </ul>
        <p class="muted">
          To link a method you must have signed in within the last 10 minutes: sign out and in again first if
          it is longer.
        </p>
      </>
    ) : null}
  </section>
);
