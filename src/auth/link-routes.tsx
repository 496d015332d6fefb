/**
 * Signing in by emailed link (contacts): ask for a link by email address, open a link (a confirm
 * page naming the account; a GET never uses the link, so a mail scanner's fetch leaves it good),
 * confirm it (POST: the one request that uses it and starts a fresh session), and ask for a new one
 * from a link that is no longer good. Every answer to "send me a link" is the same whether or not
 * the address exists or may sign in, and asking is rate limited per address and per client.
 */
import { type Context, Hono } from 'hono';
import type { RouteDeps } from '../http/context.js';
import { query, readForm, text } from '../http/forms.js';
import { page } from '../http/render.js';
import { enqueue } from '../jobs/queue.js';
import { isHttps } from '../kernel/config.js';
import { hashToken } from '../kernel/tokens.js';
import { publicRoute } from '../permissions/index.js';
import { AskForLinkForm, ConfirmLink, LinkGone } from './link-views.js';
import { emailRequestWait } from './request-throttle.js';
import { admit } from './sign-in-gate.js';
import { consumeLink, findLiveLink, landingPath, linkAddress } from './sign-in-links.js';
import { accountKey } from './throttle.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function signInLinkRoutes({ db, config, host }: RouteDeps): Hono {
  const app = new Hono();
  const secure = isHttps(config);

  /** Counts a request for a link; the wait (0 seconds: go ahead). Kept apart from password failures. */
  const throttled = (c: Context, who: string) => emailRequestWait(db, c, 'link', who);

  /**
   * Asks for a fresh sign-in link to the address: one queued job, whoever the address belongs to
   * (src/auth/sign-in-links.ts signInRequestHandler looks it up), so the answer and its timing are
   * the same for every address.
   */
  const sendIfAllowed = async (c: Context, email: string) => {
    const firmName = c.get('organization')?.name ?? 'Portico';
    await enqueue(db, 'signin.request', { email, firmName });
  };

  // The token is in the address. The app-wide Referrer-Policy (same-origin) already keeps it from
  // other sites; no-referrer would also make the browser send "Origin: null" with the confirm form,
  // which the origin check rightly refuses.
  const linkPage = (c: Context, title: string, body: Parameters<typeof page>[2], status: 200 | 404 | 429) =>
    page(c, title, body, status);

  const ways = () => host.slots.fill('signin.buttons', {});

  app.get('/sign-in/link', publicRoute, async (c) =>
    page(
      c,
      'Email me a sign-in link',
      <AskForLinkForm email="" errors={{}} sent={false} ways={await ways()} />,
    ),
  );

  app.post('/sign-in/link', publicRoute, async (c) => {
    const email = text(await readForm(c), 'email')
      .trim()
      .slice(0, 320);
    if (!EMAIL.test(email))
      return page(
        c,
        'Email me a sign-in link',
        <AskForLinkForm
          email={email}
          errors={{ email: 'Enter your email address, like name@example.com.' }}
          sent={false}
          ways={await ways()}
        />,
        422,
      );
    const wait = await throttled(c, accountKey(email));
    if (wait.seconds > 0)
      return page(
        c,
        'Email me a sign-in link',
        <AskForLinkForm
          email={email}
          errors={{ _form: `Too many requests. Wait ${wait.words}, then try again.` }}
          sent={false}
          ways={await ways()}
        />,
        429,
      );
    await sendIfAllowed(c, email);
    return page(
      c,
      'Email me a sign-in link',
      <AskForLinkForm email="" errors={{}} sent={true} ways={await ways()} />,
    );
  });

  const action = (token: string) => `/sign-in/link/${encodeURIComponent(token)}`;
  const gone = (c: Context, token: string, sent = false) =>
    linkPage(c, 'Link expired', <LinkGone action={`${action(token)}/resend`} sent={sent} />, 404);

  app.get('/sign-in/link/:token', publicRoute, async (c) => {
    const token = c.req.param('token');
    const person = await findLiveLink(db, token);
    if (!person) return gone(c, token);
    const name = `${person.first_name} ${person.last_name}`;
    // The entity a link opens at rides along to the POST, which decides nothing by it.
    const entity = query(c, 'entity');
    const confirm = entity ? `${action(token)}?entity=${encodeURIComponent(entity)}` : action(token);
    return linkPage(c, 'Sign in', <ConfirmLink action={confirm} name={name} email={person.email} />, 200);
  });

  app.post('/sign-in/link/:token', publicRoute, async (c) => {
    const token = c.req.param('token');
    const person = await db.transaction().execute(async (trx) => {
      const found = await consumeLink(trx, token);
      if (!found) return undefined;
      await admit(c, trx, found, { via: 'sign-in link' }, secure);
      return found;
    });
    if (!person) return gone(c, token);
    // Only an id picks among the entities the portal shows them; anything else lands on /portal.
    return c.redirect(landingPath(query(c, 'entity')), 303);
  });

  app.post('/sign-in/link/:token/resend', publicRoute, async (c) => {
    const token = c.req.param('token');
    const address = await linkAddress(db, token);
    const wait = await throttled(c, address ? accountKey(address) : `token:${hashToken(token)}`);
    if (wait.seconds > 0)
      return linkPage(
        c,
        'Link expired',
        <section class="narrow">
          <h1>Too many requests</h1>
          <p>Wait {wait.words}, then try again.</p>
        </section>,
        429,
      );
    if (address) await sendIfAllowed(c, address);
    return gone(c, token, true);
  });

  return app;
}
