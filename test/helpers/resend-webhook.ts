/**
 * Resend's delivery webhooks as Resend (through Svix) sends them: a JSON event signed with the
 * webhook's secret, for POST /webhooks/resend. The signing here is written from Svix's description
 * and checked against the standardwebhooks library the Resend SDK verifies with
 * (resend-webhook.test.ts), so the route is not only proven against itself.
 */
import { createHmac } from 'node:crypto';
import type { Hono } from 'hono';
import { decodeWebhookSecret, defaultSender, type MailConfig } from '../../src/kernel/config.js';
import { BASE_URL } from './app.js';

/** The tests' RESEND_WEBHOOK_SECRET, as Resend's dashboard shows one. */
export const WEBHOOK_SECRET = `whsec_${Buffer.alloc(24, 9).toString('base64')}`;

/** Mail configuration with the webhook's secret and the development outbox (nothing is sent). */
export function webhookMail(secret = WEBHOOK_SECRET): MailConfig {
  return {
    transport: { kind: 'outbox' },
    from: defaultSender(BASE_URL),
    resendWebhookKey: decodeWebhookSecret(secret)!,
  };
}

export interface Signed {
  id?: string;
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
  secret?: string;
}

/** The `v1,<base64>` signature of `body` under `secret`. */
export function signature(body: string | Uint8Array, id: string, timestamp: number, secret = WEBHOOK_SECRET) {
  const key = decodeWebhookSecret(secret)!;
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The headers Svix sends with `body`. */
export function svixHeaders(body: string | Uint8Array, o: Signed = {}): Record<string, string> {
  const id = o.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'Content-Type': 'application/json',
    'svix-id': id,
    'svix-timestamp': String(timestamp),
    'svix-signature': signature(body, id, timestamp, o.secret),
  };
}

/** An email event as Resend documents it (docs: Webhooks › Event types). */
export function resendEvent(type: string, emailId: string, data: Record<string, unknown> = {}) {
  return JSON.stringify({
    type,
    created_at: new Date().toISOString(),
    data: {
      created_at: new Date().toISOString(),
      email_id: emailId,
      from: 'Clearwater Accounting <portal@clearwater.example>',
      to: ['grace@client.example'],
      subject: 'Your client portal is ready',
      ...data,
    },
  });
}

/** Posts `body` to the webhook as a server does (no Origin, no cookie), signed unless `headers` says otherwise. */
export function postWebhook(
  app: Hono,
  body: string | Uint8Array,
  headers: Record<string, string> = svixHeaders(body),
): Promise<Response> {
  return Promise.resolve(app.request(`${BASE_URL}/webhooks/resend`, { method: 'POST', body, headers }));
}
