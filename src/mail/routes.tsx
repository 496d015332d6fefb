/**
 * The Outbox (Admins only): every email queued, where it stands (waiting, sending, sent, will
 * retry, failed and why), the development outbox's copy of each message, and a test email to
 * oneself. It requires `auditLog:R`, which only Admin holds: the outbox holds sign-in links, and
 * reading them is signing in as their owners, so it must be no wider than Admin (Settings Admins
 * hold organization:E), and it is a record of what Portico did, as the audit log is.
 */
import { Hono } from 'hono';
import { parseCursor } from '../audit/queries.js';
import type { AppDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { query } from '../http/forms.js';
import { page } from '../http/render.js';
import { sandboxedPreviewHeaders } from '../http/security.js';
import { authorize, authorizeOrNotFound, NotFound } from '../permissions/index.js';
import { findMailJob, listMailJobs } from './queries.js';
import { queueMail } from './send.js';
import { renderEmail } from './template.js';
import { describeTransport, mailConfigOf } from './transport.js';
import { MessagePage, OutboxPage } from './views.js';

export function outboxRoutes({ config, db }: AppDeps): Hono {
  const app = new Hono();
  const isOutbox = mailConfigOf(config).transport.kind === 'outbox';

  app.get('/outbox', async (c) => {
    authorize(c, 'auditLog:R');
    const timeZone = c.get('organization')?.time_zone ?? 'UTC';
    const { jobs, next } = await listMailJobs(db, parseCursor(query(c, 'before')));
    return page(
      c,
      'Outbox',
      <OutboxPage
        jobs={jobs}
        next={next}
        transport={describeTransport(config)}
        isOutbox={isOutbox}
        now={Date.now()}
        timeZone={timeZone}
      />,
    );
  });

  app.get('/outbox/:id', async (c) => {
    authorizeOrNotFound(c, 'auditLog:R');
    const found = await findMailJob(db, c.req.param('id'));
    if (!found) throw new NotFound();
    const timeZone = c.get('organization')?.time_zone ?? 'UTC';
    return page(
      c,
      found.job.subject || 'Email',
      <MessagePage job={found.job} message={found.message} now={Date.now()} timeZone={timeZone} />,
    );
  });

  // The HTML part alone, for the sandboxed frame on the message's page: its own CSP lets the
  // email's inline styles show (mail clients need them) and nothing else run or load.
  app.get('/outbox/:id/html', async (c) => {
    authorizeOrNotFound(c, 'auditLog:R');
    const found = await findMailJob(db, c.req.param('id'));
    if (!found?.message) throw new NotFound();
    sandboxedPreviewHeaders(c);
    return c.html(found.message.html_body);
  });

  app.post('/outbox/test', async (c) => {
    const actor = authorize(c, 'auditLog:R');
    const firmName = c.get('organization')?.name ?? 'Portico';
    const email = await renderEmail({
      firmName,
      baseUrl: config.baseUrl,
      subject: `Test email from ${firmName}`,
      greeting: `Hello ${actor.user.first_name},`,
      paragraphs: [`This is a test email from ${firmName}'s Portico: email reaches you.`],
      action: { label: 'Open the Outbox', path: '/outbox' },
    });
    await queueMail(db, { to: actor.user.email, kind: 'test', ...email });
    setFlash(c, 'success', `Test email queued to ${actor.user.email}.`);
    return c.redirect('/outbox', 303);
  });

  return app;
}
