/**
 * The client portal: the contact home (contacts who may enter only; staff are refused, as staff
 * pages refuse contacts), and the Client portal switch and "Resend invitation" on a contact's page
 * (who may edit the contact's Details at the contact's chain may use them, since they decide how
 * the contact is reached). Resending is rate limited per address, with the sign-in page's requests.
 */

import type { Context } from 'hono';
import { Hono } from 'hono';
import { accountKey, emailRequestWait } from '../auth/index.js';
import { findContact } from '../contacts/index.js';
import type { RouteDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { query, readForm, text } from '../http/forms.js';
import { page } from '../http/render.js';
import { serviceCtx } from '../http/service-ctx.js';
import { MalformedInput } from '../http/strict-input.js';
import { DEFAULT_LINKS } from '../kernel/config.js';
import { sentTo } from '../mail/transport.js';
import {
  authorize,
  can,
  contactChain,
  NotFound,
  requirePortalContact,
  requireStaff,
  visibleEntities,
} from '../permissions/index.js';
import { portalEntities } from './queries.js';
import { resendInvitation, setPortalAccess } from './service.js';
import { PortalHome } from './views.js';

export function portalRoutes({ db, config, host }: RouteDeps): Hono {
  const app = new Hono();
  const invitationMs = (config.links ?? DEFAULT_LINKS).invitationMs;

  app.get('/portal', async (c) => {
    const actor = requirePortalContact(c);
    const entities = await portalEntities(db, visibleEntities(db, actor, 'entity.summary:R', 'e.id'));
    const wanted = query(c, 'entity');
    const selected = entities.find((e) => e.id === wanted) ?? entities[0] ?? null;
    return page(
      c,
      'Client portal',
      <PortalHome
        firmName={c.get('organization')?.name ?? 'Portico'}
        name={`${actor.user.first_name} ${actor.user.last_name}`}
        entityWord={wordsFor(c)}
        entities={entities}
        selected={selected}
        header={await host.slots.fill('portal.header', { actor, entity: selected })}
        sections={selected ? await host.slots.fill('portal.sections', { actor, entity: selected }) : []}
      />,
    );
  });

  /** The contact, for one who may change their Details; unseen is missing (the switch sits with Details). */
  async function load(c: Context) {
    const actor = requireStaff(c);
    const contact = await findContact(db, c.req.param('id') ?? '');
    const chain = contactChain(contact?.clientId ?? null);
    if (!contact || !can(actor, 'contact.summary:R', chain) || !can(actor, 'contact.details:R', chain))
      throw new NotFound();
    authorize(c, 'contact.details:E', chain);
    return { actor, contact };
  }

  app.post('/contacts/:id/portal', async (c) => {
    const { actor, contact } = await load(c);
    const switched = text(await readForm(c), 'portal');
    // The switch's form sends on or off; anything else was not sent by our page.
    if (switched !== 'on' && switched !== 'off')
      throw new MalformedInput('The Client portal switch must be sent as on or off.');
    const on = switched === 'on';
    const site = { firmName: c.get('organization')?.name ?? 'Portico', baseUrl: config.baseUrl };
    const outcome = await db
      .transaction()
      .execute((trx) => setPortalAccess(trx, serviceCtx(c, actor), contact, on, site, invitationMs));
    const name = `${contact.firstName} ${contact.lastName}`;
    const w = wordsFor(c);
    // On but not invited needs the reader's attention: nothing was sent, and something is missing.
    setFlash(
      c,
      outcome === 'on' ? 'error' : 'success',
      outcome === 'invited'
        ? `Client portal is on. An invitation was ${sentTo(config, contact.email)}.`
        : outcome === 'on'
          ? `Client portal is on, but no invitation was sent: ${name} cannot sign in until a ${w.lower} is shared with them. Share one on its page (Share in Client Portal) and they are emailed then.`
          : `Client portal is off. ${name} was signed out and their links no longer work.`,
    );
    return c.redirect(`/contacts/${contact.id}`, 303);
  });

  app.post('/contacts/:id/portal/resend', async (c) => {
    const { actor, contact } = await load(c);
    const back = () => c.redirect(`/contacts/${contact.id}`, 303);
    // Counted with the sign-in page's "email me a link" for the same address: one budget per inbox.
    const wait = await emailRequestWait(db, c, 'link', accountKey(contact.email), { perClient: false });
    if (wait.seconds > 0) {
      setFlash(c, 'error', `Too many emails to ${contact.email} lately. Wait ${wait.words}, then try again.`);
      return back();
    }
    const site = { firmName: c.get('organization')?.name ?? 'Portico', baseUrl: config.baseUrl };
    const sent = await db
      .transaction()
      .execute((trx) => resendInvitation(trx, serviceCtx(c, actor), contact, site, invitationMs));
    const name = `${contact.firstName} ${contact.lastName}`;
    setFlash(
      c,
      sent ? 'success' : 'error',
      sent
        ? `A new invitation was ${sentTo(config, contact.email)}. Links sent to ${name} before no longer work.`
        : `No invitation was sent: ${name} cannot sign in (Client portal is off, their account is disabled, or nothing is shared with them).`,
    );
    return back();
  });

  return app;
}
