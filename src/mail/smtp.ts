/**
 * Sends through an SMTP server with nodemailer, configured from SMTP_URL:
 * `smtp://user:pass@host:587` requires STARTTLS (a server that does not offer it is refused, so
 * the password never crosses in the clear); `smtps://…:465` is TLS from the first byte;
 * `?requireTLS=false` upgrades only when offered, `?ignoreTLS=true` never does (a relay on the
 * same machine). Connections are pooled. 5xx answers to the envelope or message are permanent;
 * anything else (no connection, timeouts, 4xx, a refused login) is worth retrying.
 */
import type tls from 'node:tls';
import type { Transporter } from 'nodemailer';
import type { MailAddress } from '../kernel/config.js';
import { type Mail, redact, SendError, senderOf, type Transport } from './mail.js';

export interface SmtpOptions {
  /** Extra TLS options (tests trust their self-signed certificate with `ca`). */
  tls?: tls.ConnectionOptions;
  /** Connections kept open at once; the worker's concurrency is a good value. */
  maxConnections?: number;
}

export interface SmtpSecurity {
  /** TLS from the first byte (smtps://). */
  secure: boolean;
  /** Refuse to send unless STARTTLS succeeds. */
  requireTLS: boolean;
  /** Never try STARTTLS. */
  ignoreTLS: boolean;
}

/** What SMTP_URL asks for; see the module comment. */
export function smtpSecurity(url: URL): SmtpSecurity {
  const secure = url.protocol === 'smtps:';
  const ignoreTLS = !secure && url.searchParams.get('ignoreTLS') === 'true';
  const requireTLS = !secure && !ignoreTLS && url.searchParams.get('requireTLS') !== 'false';
  return { secure, requireTLS, ignoreTLS };
}

/** `host:port (STARTTLS)`, for the outbox page and the start-up log: never the credentials. */
export function describeSmtp(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  const s = smtpSecurity(url);
  const mode = s.secure ? 'TLS' : s.requireTLS ? 'STARTTLS' : s.ignoreTLS ? 'no TLS' : 'STARTTLS if offered';
  return `${url.hostname}:${Number(url.port) || (s.secure ? 465 : 587)}, ${mode}`;
}

/** A nodemailer error as a SendError: permanent for a 5xx about the message, retryable otherwise. */
function classify(error: unknown, secrets: string[]): SendError {
  const e = error as { message?: string; responseCode?: number; code?: string };
  const message = redact(e.message ?? String(error), secrets);
  const code = e.responseCode;
  const aboutMessage = e.code === 'EENVELOPE' || e.code === 'EMESSAGE' || e.code === 'EPROTOCOL';
  const permanent = typeof code === 'number' && code >= 500 && code < 600 && aboutMessage;
  return new SendError(message, !permanent);
}

export function smtpTransport(smtpUrl: string, from: MailAddress, options: SmtpOptions = {}): Transport {
  const url = new URL(smtpUrl);
  const security = smtpSecurity(url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || (security.secure ? 465 : 587);
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const secrets = [pass, url.password].filter(Boolean);
  // nodemailer is loaded only where SMTP is configured: it holds 15 MB of memory a firm on Resend
  // or the outbox would carry for nothing.
  let made: Promise<Transporter> | null = null;
  const transporter = () =>
    (made ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host,
        port,
        ...security,
        ...(user || pass ? { auth: { user, pass } } : {}),
        pool: true,
        maxConnections: options.maxConnections ?? 4,
        // Well inside the queue's five-minute lease, so a hung server never outlives its claim.
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 60_000,
        ...(options.tls ? { tls: options.tls } : {}),
      }),
    ));
  return {
    kind: 'smtp',
    async send(mail: Mail) {
      const sender = senderOf(mail, from);
      const domain = from.address.split('@')[1] ?? 'localhost';
      try {
        const info = await (await transporter()).sendMail({
          from: sender.name ? { name: sender.name, address: sender.address } : sender.address,
          to: mail.to,
          ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          // The same Message-ID on every retry, so a receiver can tell a repeat from a new email.
          ...(mail.key ? { messageId: `<${mail.key}@${domain}>` } : {}),
          headers: { 'X-Portico-Kind': mail.kind },
        });
        return { id: info.messageId };
      } catch (error) {
        throw classify(error, secrets);
      }
    },
    async close() {
      if (made) (await made).close();
    },
  };
}
