/**
 * Mail servers for tests, on loopback: a real SMTP server (smtp-server) that records what arrived,
 * optionally offering STARTTLS with a self-signed certificate made for the run, a wait for the
 * message to an address, and a minimal parser for what it received.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Db } from '../../src/db/connect.js';

export interface Received {
  from: string;
  to: string[];
  raw: string;
  /** The connection was TLS (STARTTLS done) when the message was sent. */
  secure: boolean;
  user: string | null;
}

export interface TestSmtp {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

let made: { key: string; cert: string } | undefined;

/** A self-signed certificate for 127.0.0.1 (openssl, once per test process). */
export function selfSignedCert(): { key: string; cert: string } {
  if (made) return made;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    made = {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
    return made;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts an SMTP server on 127.0.0.1. `tls`: offer STARTTLS with the self-signed certificate;
 * `users`: require AUTH with one of these user → password pairs.
 */
export async function startSmtp(
  options: { tls?: boolean; users?: Record<string, string>; extra?: Partial<SMTPServerOptions> } = {},
): Promise<TestSmtp> {
  const received: Received[] = [];
  const users = options.users;
  const server = new SMTPServer({
    ...(options.tls ? selfSignedCert() : { disabledCommands: users ? ['STARTTLS'] : ['STARTTLS', 'AUTH'] }),
    authOptional: !users,
    allowInsecureAuth: !options.tls,
    logger: false,
    onAuth(auth, _session, callback) {
      if (users && auth.username && users[auth.username] === auth.password)
        return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : null,
        });
        callback();
      });
    },
    ...options.extra,
  });
  // A client that gives up mid-session (a refused TLS upgrade) resets its connection: not a failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A header of a raw message (first occurrence, unfolded). */
export function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const m = head.replace(/\r?\n[ \t]+/g, ' ').match(new RegExp(`^${name}:\\s*(.*)$`, 'mi'));
  return m?.[1]?.trim();
}

/** The decoded body of the part of a multipart message with this content type. */
export function part(raw: string, contentType: 'text/plain' | 'text/html'): string | undefined {
  const boundary = raw.match(/boundary="?([^";\r\n]+)"?/)?.[1];
  if (!boundary) return undefined;
  for (const section of raw.split(`--${boundary}`)) {
    const [head = '', ...rest] = section.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
    if (!new RegExp(`content-type:\\s*${contentType}`, 'i').test(head)) continue;
    const body = rest.join('\n\n');
    if (/content-transfer-encoding:\s*base64/i.test(head))
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (/content-transfer-encoding:\s*quoted-printable/i.test(head))
      return Buffer.from(
        body
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
        'latin1',
      ).toString('utf8');
    return body;
  }
  return undefined;
}

/** An email waiting in the queue, as the worker will read it. */
export interface QueuedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  kind: string;
}

/** Every email queued (mail.send jobs), oldest first. */
export async function queuedMails(db: Db): Promise<QueuedMail[]> {
  const jobs = await db
    .selectFrom('jobs')
    .select(['payload', 'created_at'])
    .where('kind', '=', 'mail.send')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return jobs.map((j) => JSON.parse(j.payload) as QueuedMail);
}

/** The first message that arrives for `to`, polling what the server received; fails after `ms`. */
export async function mailTo(smtp: TestSmtp, to: string, ms = 15_000): Promise<Received> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = smtp.received.find((m) => m.to.includes(to));
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no message to ${to} within ${ms} ms (${smtp.received.length} arrived for others)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
