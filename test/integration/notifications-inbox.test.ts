/**
 * Nobody misses an upload: a contact's upload tells each of the entity's notification recipients
 * and the portal's administrator in the app and by email, once (a retried delivery adds nothing),
 * and each notification says what became of its email as the queue knows it: queued, retrying,
 * accepted, failed; never more. Each person sees only their own, and marks them read.
 */
import { describe, expect, it } from 'vitest';
import type { JobHandlers } from '../../src/jobs/worker.js';
import { SendError } from '../../src/mail/mail.js';
import { mailJobHandler } from '../../src/mail/send.js';
import { createTransport } from '../../src/mail/transport.js';
import { emailState, inboxOf } from '../../src/notifications/inbox.js';
import { emailWords } from '../../src/notifications/inbox-views.js';
import { type Client, pageText, testConfig } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildPortal,
  buildStaff,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { runDue, runUntilIdle } from '../helpers/jobs.js';

const DAY = 24 * 60 * 60 * 1000;

function upload(name: string, content: string): FormData {
  const form = new FormData();
  form.append('files', new File([content], name));
  return form;
}

describe('what a notification says of its email', () => {
  it('says only what the queue knows', () => {
    const now = Date.now();
    expect(emailState(null, null, now, now)).toBe('none');
    expect(emailState('j', { status: 'queued', attempts: 0 }, now, now)).toBe('queued');
    expect(emailState('j', { status: 'queued', attempts: 2 }, now, now)).toBe('retrying');
    expect(emailState('j', { status: 'done', attempts: 1 }, now, now)).toBe('accepted');
    expect(emailState('j', { status: 'failed', attempts: 5 }, now, now)).toBe('failed');
    // Done jobs are tidied after 7 days, failed ones after 30: gone within 30 days means done.
    expect(emailState('j', null, now - 10 * DAY, now)).toBe('accepted');
    expect(emailState('j', null, now - 31 * DAY, now)).toBe('untracked');
    expect(emailWords('accepted', 'Resend')).toBe('Email accepted by Resend');
    expect(emailWords('queued', 'Resend')).toBe('Email queued, not sent yet');
    expect(emailWords('none', 'Resend')).toBeNull();
  });
});

describe.each(DIALECTS)('notifications of a client’s upload (%s)', (dialect) => {
  const firm = useFirm(dialect);

  it('tells each recipient once, in the app and by email, and shows what became of each email', async () => {
    const clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    const mary = await buildStaff(firm.db, [], { firstName: 'Mary', lastName: 'Recipient' });
    await bindAtEntity(firm.db, { userId: mary.id }, 'viewer', clearwater);
    await firm.db
      .insertInto('entity_notify_recipients')
      .values({ entity_id: clearwater, user_id: mary.id, created_at: Date.now() })
      .execute();
    await buildPortal(firm.db, 'Clearwater family', firm.admin.id, [clearwater]);
    const bystander = await buildStaff(firm.db, ['admin']);
    const grace = await buildContact(firm.db, clearwater, { firstName: 'Grace', lastName: 'Hopper' });
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_collaborator', clearwater);
    const asGrace = await signedIn(firm.app, firm.db, grace);
    // Mary's home page says nothing before the upload (and keeps saying so until one is written).
    const asMary = await signedIn(firm.app, firm.db, mary);
    expect(pageText(await (await asMary.get('/')).text())).not.toContain('New notifications');
    expect(
      (
        await asGrace.post(
          `/portal/entities/${clearwater}/files`,
          upload('Bank statement.pdf', '%PDF-1.4\nx'),
        )
      ).status,
    ).toBe(303);

    // The event's delivery writes them; run twice over, it adds nothing.
    const { 'mail.send': _send, ...others } = firm.assembly.host.jobs;
    await runUntilIdle(firm.db, others);
    await runUntilIdle(firm.db, others);
    const asAdmin = await signedIn(firm.app, firm.db, firm.admin);
    const text = 'Grace Hopper uploaded Bank statement.pdf to Clearwater Holdings';
    for (const who of [mary, firm.admin]) {
      const items = await inboxOf(firm.db, who.id);
      expect(items.map((n) => [n.text, n.read, n.email])).toEqual([[text, false, 'queued']]);
    }
    expect(await inboxOf(firm.db, bystander.id)).toEqual([]);
    const page = pageText(await (await asMary.get('/notifications')).text());
    expect(page).toContain(`New ${text}`);
    expect(page).toContain('Email queued, not sent yet');
    // On the home page too, until read.
    expect(pageText(await (await asMary.get('/')).text())).toContain(`New notificationsNew ${text}`);

    // Mary's email fails once (retried), then for good; the Admin's is accepted.
    const jobs = await firm.db
      .selectFrom('jobs')
      .select(['id', 'payload'])
      .where('kind', '=', 'mail.send')
      .execute();
    const marysJob = jobs.find((j) => j.payload.includes(mary.email))!.id;
    // The tests' transport: the development outbox, which keeps what it is given.
    const send = mailJobHandler(createTransport(testConfig(), firm.db));
    const refusing: JobHandlers = {
      'mail.send': {
        ...send,
        async run(mail, job) {
          if (mail.to === mary.email) throw new SendError('relay said no', true);
          return send.run(mail, job);
        },
      },
    };
    await runDue(firm.db, refusing);
    expect((await inboxOf(firm.db, mary.id))[0]?.email).toBe('retrying');
    expect((await inboxOf(firm.db, firm.admin.id))[0]?.email).toBe('accepted');
    await firm.db.updateTable('jobs').set({ attempts: 99 }).where('id', '=', marysJob).execute();
    await runDue(firm.db, refusing, Date.now() + DAY);
    expect((await inboxOf(firm.db, mary.id))[0]?.email).toBe('failed');
    expect(pageText(await (await asMary.get('/notifications')).text())).toContain(
      'Email failed: it could not be sent',
    );
    expect(pageText(await (await asAdmin.get('/notifications')).text())).toContain(
      'Email kept in the development outbox, not sent',
    );

    // Marking read is one's own: the Admin's stays new.
    const read = await asMary.post('/notifications/read');
    expect([read.status, read.headers.get('Location')]).toEqual([303, '/notifications']);
    expect((await inboxOf(firm.db, mary.id))[0]?.read).toBe(true);
    expect((await inboxOf(firm.db, firm.admin.id))[0]?.read).toBe(false);
    expect(pageText(await (await asMary.get('/')).text())).not.toContain('New notifications');
  });

  it('is for staff: a contact is refused the page', async () => {
    const clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    const grace = await buildContact(firm.db, clearwater);
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    const asGrace: Client = await signedIn(firm.app, firm.db, grace);
    expect((await asGrace.get('/notifications')).status).toBe(403);
    expect((await asGrace.post('/notifications/read')).status).toBe(403);
  });
});
