/**
 * The built server's background email, as a real process: with SMTP_URL it sends what was queued
 * (before it started: nothing is lost across a restart) to an SMTP server on loopback, names its
 * transport without the password, and never prints an email's link in production; a SIGTERM while
 * the SMTP server is slow lets the send in hand finish before the process exits.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { queueMail } from '../../src/mail/send.js';
import { renderEmail } from '../../src/mail/template.js';
import { startSmtp, type TestSmtp } from '../helpers/mail.js';
import { startServer as start, until } from '../helpers/process.js';

const cleanups: (() => Promise<void> | void)[] = [];
const startServer = (dir: string, env: Record<string, string>) => start(dir, env, cleanups);
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A DATA_DIR whose database already holds one queued email carrying a link. */
async function dataDirWithQueuedEmail(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-mail-proc-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(`sqlite:${path.join(dir, 'portico.db')}`);
  await migrateToLatest(db);
  const email = await renderEmail({
    firmName: 'Clearwater Accounting',
    baseUrl: 'https://portal.clearwater.example',
    subject: 'Your portal is ready',
    paragraphs: ['Welcome.'],
    action: { label: 'Go to Client Portal', path: '/portal/secret-link-token' },
  });
  await queueMail(db, { to: 'grace@client.example', kind: 'test', ...email });
  await db.destroy();
  return dir;
}

describe('email from the server process', () => {
  it('sends what was queued before it started through SMTP, never printing the link or the password', async () => {
    const smtp: TestSmtp = await startSmtp({ users: { portal: 'hunter2-pw' } });
    cleanups.push(() => smtp.close());
    const dir = await dataDirWithQueuedEmail();
    const s = await startServer(dir, {
      SMTP_URL: `smtp://portal:hunter2-pw@127.0.0.1:${smtp.port}?requireTLS=false`,
      MAIL_FROM: 'Clearwater Accounting <portal@clearwater.example>',
    });
    await until(() => smtp.received.length === 1, 'the email', s.output);
    expect(smtp.received[0]!.to).toEqual(['grace@client.example']);
    expect(smtp.received[0]!.raw).toContain('/portal/secret-link-token');
    expect(s.output()).toContain(`"transport":"SMTP server 127.0.0.1:${smtp.port}, STARTTLS if offered"`);
    expect(s.output()).not.toContain('hunter2-pw');
    expect(s.output()).not.toContain('secret-link-token');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('in production without a transport keeps email in the outbox, warns, and prints no link', async () => {
    const dir = await dataDirWithQueuedEmail();
    const s = await startServer(dir, {});
    const db = openDatabase(`sqlite:${path.join(dir, 'portico.db')}`);
    cleanups.push(() => db.destroy());
    const kept = async () => (await db.selectFrom('outbox_messages').select('id').execute()).length;
    for (let i = 0; i < 400 && (await kept()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await kept()).toBe(1);
    expect(s.output()).toContain('no email transport configured: emails are kept in the Outbox, not sent');
    expect(s.output()).not.toContain('secret-link-token');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('on SIGTERM lets an email being sent finish, then exits 0', async () => {
    let release: (() => void) | null = null;
    const smtp = await startSmtp({
      extra: {
        // The server takes its time over the message: the process is stopped meanwhile.
        onData(stream, _session, callback) {
          stream.resume();
          stream.on('end', () => {
            release = () => callback();
          });
        },
      },
    });
    cleanups.push(() => smtp.close());
    const dir = await dataDirWithQueuedEmail();
    const s = await startServer(dir, {
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`,
      MAIL_FROM: 'portal@clearwater.example',
    });
    await until(() => release !== null, 'the message to reach the server', s.output);
    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(s.child.exitCode, 'still sending').toBeNull();
    (release as unknown as () => void)();
    expect(await s.exited).toBe(0);
    const db = openDatabase(`sqlite:${path.join(dir, 'portico.db')}`);
    cleanups.push(() => db.destroy());
    const job = await db.selectFrom('jobs').select(['status', 'attempts']).executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'done', attempts: 1 });
  });
});
