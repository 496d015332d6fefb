/**
 * Resend's webhooks are believed only when signed as Svix signs: the documented example checks
 * out, and so does what the tests' signer makes (also accepted by the Resend SDK's own verifier);
 * a wrong secret, a changed byte of the body, id or timestamp, a timestamp over five minutes
 * away, or a header that is missing or malformed, does not.
 */
import { Resend } from 'resend';
import { describe, expect, it } from 'vitest';
import { decodeWebhookSecret } from '../../src/kernel/config.js';
import { type SvixHeaders, verifySvix } from '../../src/mail/deliveries/svix.js';
import { signature, svixHeaders, WEBHOOK_SECRET } from '../helpers/resend-webhook.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const KEY = decodeWebhookSecret(WEBHOOK_SECRET)!;
const NOW = Date.parse('2026-03-02T09:00:00Z');
const SECONDS = NOW / 1000;
const BODY = '{"type":"email.delivered","data":{"email_id":"em_1"}}';

function headersOf(body: string, o: { id?: string; timestamp?: number; secret?: string } = {}): SvixHeaders {
  const h = svixHeaders(body, { id: 'msg_1', timestamp: SECONDS, ...o });
  return { id: h['svix-id'], timestamp: h['svix-timestamp'], signature: h['svix-signature'] };
}

describe('the Svix signature of a Resend webhook', () => {
  it("checks out on Resend's documented example (secret, id, timestamp, body, signature)", () => {
    const key = decodeWebhookSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')!;
    const headers = {
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: '1614265330',
      signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    expect(verifySvix(key, headers, bytes('{"test": 2432232314}'), 1614265330_000)).toBeNull();
    expect(verifySvix(key, headers, bytes('{"test": 2432232315}'), 1614265330_000)).toBe(
      'no valid signature',
    );
  });

  it("accepts what the tests' signer makes, as the Resend SDK's own verifier does", () => {
    expect(verifySvix(KEY, headersOf(BODY), bytes(BODY), NOW)).toBeNull();
    const now = svixHeaders(BODY);
    const sdk = new Resend('re_test_key').webhooks.verify({
      payload: BODY,
      headers: { id: now['svix-id']!, timestamp: now['svix-timestamp']!, signature: now['svix-signature']! },
      webhookSecret: WEBHOOK_SECRET,
    });
    expect(sdk).toMatchObject({ type: 'email.delivered' });
  });

  it('refuses another secret, and any change to the body, the id or the timestamp', () => {
    const other = `whsec_${Buffer.alloc(24, 8).toString('base64')}`;
    expect(verifySvix(KEY, headersOf(BODY, { secret: other }), bytes(BODY), NOW)).toBe('no valid signature');
    const tampered = BODY.replace('delivered', 'bounced');
    expect(verifySvix(KEY, headersOf(BODY), bytes(tampered), NOW)).toBe('no valid signature');
    expect(verifySvix(KEY, { ...headersOf(BODY), id: 'msg_2' }, bytes(BODY), NOW)).toBe('no valid signature');
    expect(verifySvix(KEY, { ...headersOf(BODY), timestamp: String(SECONDS - 1) }, bytes(BODY), NOW)).toBe(
      'no valid signature',
    );
    // One byte more at the end is a change too.
    expect(verifySvix(KEY, headersOf(BODY), bytes(`${BODY} `), NOW)).toBe('no valid signature');
  });

  it('refuses a timestamp more than five minutes either side of now, and takes one within', () => {
    const at = (offsetSeconds: number) =>
      verifySvix(KEY, headersOf(BODY, { timestamp: SECONDS + offsetSeconds }), bytes(BODY), NOW);
    expect([at(-301), at(301), at(-3600), at(10 * 365 * 86400)]).toEqual(Array(4).fill('stale timestamp'));
    expect([at(-300), at(300), at(-299), at(0)]).toEqual([null, null, null, null]);
  });

  it('takes a header of several signatures when one of them is right (a secret being rotated)', () => {
    const right = headersOf(BODY).signature!;
    const wrong = signature(BODY, 'msg_1', SECONDS, `whsec_${Buffer.alloc(24, 8).toString('base64')}`);
    for (const list of [
      `${wrong} ${right}`,
      `${right} ${wrong}`,
      `v2,${right.slice(3)} ${right}`,
      `v1,AAAA ${right}`,
      `  ${wrong}  ${right}  `,
    ])
      expect(verifySvix(KEY, { ...headersOf(BODY), signature: list }, bytes(BODY), NOW), list).toBeNull();
    expect(verifySvix(KEY, { ...headersOf(BODY), signature: `${wrong} ${wrong}` }, bytes(BODY), NOW)).toBe(
      'no valid signature',
    );
    // The right signature under another version's name is not a v1 signature.
    expect(verifySvix(KEY, { ...headersOf(BODY), signature: `v2,${right.slice(3)}` }, bytes(BODY), NOW)).toBe(
      'no valid signature',
    );
  });

  it('refuses missing and malformed headers', () => {
    const good = headersOf(BODY);
    const check = (h: Partial<SvixHeaders>) => verifySvix(KEY, { ...good, ...h }, bytes(BODY), NOW);
    expect([check({ id: undefined }), check({ timestamp: '' }), check({ signature: undefined })]).toEqual(
      Array(3).fill('missing headers'),
    );
    for (const timestamp of [
      'soon',
      '-5',
      '1.7e9',
      `${SECONDS} `,
      `0x${SECONDS.toString(16)}`,
      '9'.repeat(40),
    ])
      expect(check({ timestamp }), timestamp).toBe('malformed headers');
    for (const id of ['msg 1', 'msg\n1', 'm'.repeat(300), 'msg_ü'])
      expect(check({ id }), id).toBe('malformed headers');
    for (const signature of [
      'v1',
      'v1,',
      'v1,!!!',
      `${good.signature}x`,
      good.signature!.slice(0, -4),
      'garbage',
    ])
      expect(check({ signature }), signature).toBe('no valid signature');
  });

  it('signs the body as bytes: a body that is not UTF-8 checks out byte for byte, and not otherwise', () => {
    const body = Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d);
    const h = svixHeaders(body, { id: 'msg_1', timestamp: SECONDS });
    const headers = { id: h['svix-id'], timestamp: h['svix-timestamp'], signature: h['svix-signature'] };
    expect(verifySvix(KEY, headers, body, NOW)).toBeNull();
    expect(verifySvix(KEY, headers, bytes(new TextDecoder().decode(body)), NOW)).toBe('no valid signature');
  });
});
