/**
 * What the emailed sign-in links say and do at their edges (src/auth/sign-in-links.ts): each kind
 * of email's words, written out here rather than read back from the code; how long a link lasts,
 * in words; a request for an address nobody may use; and a link whose person may no longer sign in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  consumeLink,
  duration,
  issueLink,
  type LinkPerson,
  sendLink,
  signInRequestHandler,
} from '../../src/auth/sign-in-links.js';
import { DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import { bindAtEntity, buildContact, buildEntity } from '../helpers/factories.js';
import { queuedMails } from '../helpers/mail.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('how long a link lasts, in words', () => {
  it.each([
    [10 * MINUTE, '10 minutes'],
    [60 * MINUTE, '1 hour'],
    [90 * MINUTE, '90 minutes'],
    [119 * MINUTE, '119 minutes'],
    [120 * MINUTE, '2 hours'],
    [24 * HOUR, '24 hours'],
    [36 * HOUR, '36 hours'],
    [48 * HOUR, '2 days'],
    [50 * HOUR, '50 hours'],
    [72 * HOUR, '3 days'],
  ])('%d ms is "%s"', (ms, words) => {
    expect(duration(ms)).toBe(words);
  });
});

describe.each(DIALECTS)('sign-in link emails (%s)', (dialect) => {
  let t: TestDb;
  let grace: LinkPerson;
  const site = { firmName: 'Clearwater Accounting', baseUrl: 'http://portico.test' };
  beforeEach(async () => {
    t = await freshDatabase(dialect);
    const entity = await buildEntity(t.db, 'Clearwater Holdings');
    grace = await buildContact(t.db, entity, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@example.com',
    });
    await bindAtEntity(t.db, { userId: grace.id }, 'contact_entity_access', entity);
    await t.db
      .updateTable('contact_profiles')
      .set({ portal_access: 1 })
      .where('user_id', '=', grace.id)
      .execute();
  });
  afterEach(() => t.close());

  const NOTE = 'The link works once and lasts 1 hour. If you did not expect this email, you can ignore it.';

  it.each([
    [
      'sign_in',
      'sign-in-link',
      'Sign in to Clearwater Accounting',
      'You asked for a link to sign in to the client portal. The link below signs you in.',
      'Go to Client Portal',
    ],
    [
      'invitation',
      'portal-invitation',
      'Your client portal at Clearwater Accounting',
      'Clearwater Accounting has given you access to its client portal. No registration or password is needed: the link below signs you in.',
      'Go to Client Portal',
    ],
    [
      'portal_invitation',
      'portal-member-invitation',
      'Clearwater Accounting has set up a portal for you',
      'Clearwater Accounting has set up a secure online space for you to collaborate on documents and tasks with them. No registration or password is needed: the link below signs you in and accepts the invitation.',
      'Sign in to your portal',
    ],
  ] as const)(
    'a %s email says what it is for, greets the person, and says how long the link lasts',
    async (purpose, kind, subject, paragraph, label) => {
      await t.db.transaction().execute((trx) => sendLink(trx, site, grace, purpose, HOUR));
      const [mail] = await queuedMails(t.db);
      expect({ to: mail?.to, kind: mail?.kind, subject: mail?.subject }).toEqual({
        to: 'grace@example.com',
        kind,
        subject,
      });
      const text = mail!.text.replace(/\s+/g, ' ');
      for (const words of ['Hello Grace,', paragraph, label, NOTE]) expect(text).toContain(words);
      expect(text).toMatch(/http:\/\/portico\.test\/sign-in\/link\/[a-z0-9]{26}/);
    },
  );

  it('answers a request for an address nobody may sign in with by doing nothing, and keeps only the address', async () => {
    const handler = signInRequestHandler(t.db, site.baseUrl, HOUR);
    const job = { id: 'j1', kind: 'signin.request' as const, attempt: 1, maxAttempts: 5 };
    await handler.run({ email: 'nobody@example.com', firmName: site.firmName }, job);
    expect(await queuedMails(t.db)).toEqual([]);
    await handler.run({ email: 'GRACE@example.com', firmName: site.firmName }, job);
    expect((await queuedMails(t.db)).map((m) => m.to)).toEqual(['grace@example.com']);
    expect(handler.keep?.({ email: 'grace@example.com', firmName: site.firmName })).toEqual({
      email: 'grace@example.com',
    });
  });

  it('leaves a link unused when its person may no longer sign in, so it still works once they may again', async () => {
    const token = await t.db.transaction().execute((trx) => issueLink(trx, grace, 'sign_in', HOUR));
    await t.db
      .updateTable('contact_profiles')
      .set({ portal_access: 0 })
      .where('user_id', '=', grace.id)
      .execute();
    expect(await t.db.transaction().execute((trx) => consumeLink(trx, token))).toBeUndefined();
    const row = await t.db.selectFrom('sign_in_links').select('used_at').executeTakeFirstOrThrow();
    expect(row.used_at).toBeNull();
    await t.db
      .updateTable('contact_profiles')
      .set({ portal_access: 1 })
      .where('user_id', '=', grace.id)
      .execute();
    expect((await t.db.transaction().execute((trx) => consumeLink(trx, token)))?.id).toBe(grace.id);
  });
});
