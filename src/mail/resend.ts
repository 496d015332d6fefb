/**
 * Sends through Resend's API with its SDK. The message's key goes as the Idempotency-Key, so a
 * retried job is one email at Resend however many times it is sent. Network failures, timeouts,
 * 429 and 5xx answers are retryable; any other 4xx (a bad address, a refused key) is permanent.
 * `baseUrl` (the SDK's constructor option) points it elsewhere: tests use a local server. The SDK
 * is loaded with the first email, not at start (as nodemailer is), where Resend is not used at all.
 */
import type { Resend } from 'resend';
import type { MailAddress } from '../kernel/config.js';
import { formatAddress, type Mail, redact, SendError, senderOf, type Transport } from './mail.js';

export interface ResendOptions {
  /** The API's address; the SDK's default (https://api.resend.com, or RESEND_BASE_URL) otherwise. */
  baseUrl?: string;
  timeoutMs?: number;
}

/** Resend's tag values allow letters, digits, _ and - only. */
const tagValue = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || 'email';

export function resendTransport(apiKey: string, from: MailAddress, options: ResendOptions = {}): Transport {
  let made: Promise<Resend> | undefined;
  const resend = () =>
    (made ??= import('resend').then(
      ({ Resend }) => new Resend(apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined),
    ));
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    kind: 'resend',
    async send(mail: Mail) {
      const client = await resend();
      const { data, error } = await client.emails.send(
        {
          from: formatAddress(senderOf(mail, from)),
          to: [mail.to],
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
          tags: [{ name: 'kind', value: tagValue(mail.kind) }],
        },
        {
          ...(mail.key ? { idempotencyKey: `portico-${mail.key}` } : {}),
          signal: AbortSignal.timeout(timeoutMs),
        },
      );
      if (error) {
        const status = error.statusCode;
        const retryable =
          status === null ||
          status === undefined ||
          status === 429 ||
          status >= 500 ||
          error.name === 'concurrent_idempotent_requests' ||
          error.name === 'rate_limit_exceeded';
        const message = redact(`Resend ${status ?? 'unreachable'} ${error.name}: ${error.message}`, [apiKey]);
        throw new SendError(message, retryable);
      }
      return { id: data.id };
    },
    async close() {},
  };
}
