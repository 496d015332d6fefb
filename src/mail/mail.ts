/**
 * What an email is, and the one small interface every way of sending it implements. A transport
 * sends one message and says, when it fails, whether trying again could help; it never logs the
 * message's body (it may hold a sign-in link) and keeps credentials out of its error messages.
 */
import type { MailAddress } from '../kernel/config.js';

export interface Mail {
  /** One recipient: each email may carry a link meant for that person alone. */
  to: string;
  /** The sender's display name; the address is always MAIL_FROM's. MAIL_FROM's name by default. */
  fromName?: string;
  replyTo?: string;
  /** Plain words: never a link, code or token (renderEmail checks). */
  subject: string;
  text: string;
  html: string;
  /** What this email is ('test', 'sign-in-link', …): a tag at Resend, a column in the outbox. */
  kind: string;
  /**
   * Stable for this message across retries (the queue uses its job id): Resend's Idempotency-Key,
   * the SMTP Message-ID, the outbox row's id. So a retry is recognisable as the same message.
   */
  key?: string;
  /**
   * The one-time tokens the email's links carry. A copy kept for people to read (the production
   * Outbox) shows each as "hidden": a working link read by someone else signs them in as its owner.
   */
  secrets?: readonly string[];
}

export interface Transport {
  /** 'resend', 'smtp' or 'outbox'. */
  readonly kind: 'resend' | 'smtp' | 'outbox';
  /** Sends one email; throws a SendError. Resolves with the provider's id for it, if any. */
  send(mail: Mail): Promise<{ id?: string }>;
  close(): Promise<void>;
}

/** A failed send: `retryable` says whether the queue should try again later. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

/** The sender as transports write it: the mail's display name, else MAIL_FROM's. */
export function senderOf(mail: Mail, from: MailAddress): MailAddress {
  const name = (mail.fromName ?? from.name ?? '').replace(/[\r\n"<>\\]+/g, ' ').trim();
  return { name: name || null, address: from.address };
}

/** `"Name" <address>` (RFC 5322 quoted name; the characters that could break it are gone). */
export function formatAddress(a: MailAddress): string {
  return a.name ? `"${a.name}" <${a.address}>` : a.address;
}

/** `message` with every secret replaced, for errors that may echo what the provider was sent. */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join('[redacted]');
  return out;
}
