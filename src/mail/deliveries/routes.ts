/**
 * POST /webhooks/resend: Resend's delivery webhooks (sent by Svix). Server to server: no session,
 * no form origin (app.ts exempts this one path from the origin check), and the signature
 * (RESEND_WEBHOOK_SECRET) is the only proof of who sent it. Without the secret the route answers as
 * if it did not exist. Resend sends again whatever is not answered 2xx, so an event Portico has no
 * use for (an unknown type, an email it did not send) is answered 200 and changes nothing; only a
 * request that is not Resend's, or cannot be read, is refused. It never answers with what it knows.
 */
import { Hono } from 'hono';
import type { RouteDeps } from '../../http/context.js';
import { MalformedInput } from '../../http/strict-input.js';
import { NotFound, publicRoute } from '../../permissions/index.js';
import { readResendEvent } from './resend-events.js';
import { hearOutcome } from './service.js';
import { verifySvix } from './svix.js';

export const RESEND_WEBHOOK_PATH = '/webhooks/resend';

/** Resend's events are a few KB; this leaves room and no more (app.ts's formSizeLimit). */
export const WEBHOOK_BODY_LIMITS: Readonly<Record<string, number>> = { [RESEND_WEBHOOK_PATH]: 256 * 1024 };

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

export function resendWebhookRoutes({ config, db, log }: Pick<RouteDeps, 'config' | 'db' | 'log'>): Hono {
  const app = new Hono();
  const key = config.mail?.resendWebhookKey;

  app.post(RESEND_WEBHOOK_PATH, publicRoute, async (c) => {
    if (!key) throw new NotFound();
    if (!JSON_TYPE.test(c.req.header('Content-Type') ?? '')) return c.text('Expected application/json.', 415);
    let body: Uint8Array;
    try {
      body = new Uint8Array(await c.req.arrayBuffer());
    } catch {
      throw new MalformedInput('The request was cut short.');
    }
    const refused = verifySvix(
      key,
      {
        id: c.req.header('svix-id'),
        timestamp: c.req.header('svix-timestamp'),
        signature: c.req.header('svix-signature'),
      },
      body,
    );
    if (refused) {
      log.warn('resend webhook refused', { requestId: c.get('requestId'), why: refused });
      return c.text('The signature does not check out.', 401);
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch {
      return c.text('The body is not JSON.', 400);
    }
    const outcome = readResendEvent(json);
    const heard = outcome ? await hearOutcome(db, outcome) : null;
    // The address stays out of the log (the audit line, for Admins, names it).
    if (heard?.undelivered)
      log.warn('email not delivered', { job: heard.jobId, kind: heard.kind, outcome: outcome?.state });
    return c.json({ received: true });
  });

  return app;
}
