/**
 * Sign in with email and password, sign out, and one-time set-password links. To anyone without
 * the password, every failure to sign in looks the same (page, status and time), and repeated
 * failures are slowed down; only a right password can meet a plugin's reason ("use Google").
 */

import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import { recordAudit } from '../audit/record.js';
import type { RouteDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { query, readForm, text, validate } from '../http/forms.js';
import { page } from '../http/render.js';
import { safeNext } from '../http/safe-next.js';
import { auditActor } from '../http/service-ctx.js';
import { isHttps } from '../kernel/config.js';
import { issuerMayStillManage, publicRoute, usesPassword } from '../permissions/index.js';
import { PASSWORD_MAX, verifyPassword } from './password.js';
import { consumePasswordToken, findPasswordToken } from './password-tokens.js';
import { signInCandidate } from './queries.js';
import { newPasswordFields, withMatchingPasswords } from './schema.js';
import { clearSessionCookie, invalidateSession } from './sessions.js';
import { admit, auditRefusal, mayStartSession } from './sign-in-gate.js';
import { startSession } from './start-session.js';
import { claimAttempt, clearAfterSuccess, secondsToWait, throttleKeys } from './throttle.js';
import { PasswordLinkGone, SetPasswordForm, SignInForm } from './views.js';

const GENERIC = 'That email and password do not match an account that can sign in.';
/** What a person is told when a plugin's check of password sign-in failed: refused, not let through. */
const CHECK_FAILED = 'Signing in with a password is not possible right now. Try again later.';
const PASSWORD = { via: 'password' };
const setPasswordSchema = withMatchingPasswords(v.object({ ...newPasswordFields }));

export function signInRoutes({ db, config, host }: RouteDeps): Hono {
  const app = new Hono();
  const secure = isHttps(config);

  app.get('/sign-in', publicRoute, async (c) => {
    const next = safeNext(query(c, 'next'));
    if (c.get('actor')) return c.redirect(next, 302);
    const ways = await host.slots.fill('signin.buttons', {});
    return page(c, 'Sign in', <SignInForm email="" next={next} errors={{}} ways={ways} />);
  });

  app.post('/sign-in', publicRoute, async (c) => {
    const form = await readForm(c);
    const email = text(form, 'email').trim();
    const password = text(form, 'password');
    const next = safeNext(text(form, 'next'));
    const again = async (errors: Record<string, string>, status: 422 | 429) =>
      page(
        c,
        'Sign in',
        <SignInForm
          email={email}
          next={next}
          errors={errors}
          ways={await host.slots.fill('signin.buttons', {})}
        />,
        status,
      );

    if (!email || !password) {
      return again(
        {
          ...(email ? {} : { email: 'Enter your email address.' }),
          ...(password ? {} : { password: 'Enter your password.' }),
        },
        422,
      );
    }
    // No account has an address or a password this long: refused as a wrong password is, but
    // without counting an attempt or hashing a megabyte.
    if (email.length > 254 || password.length > PASSWORD_MAX) return again({ _form: GENERIC }, 422);
    const ip = c.get('clientIp')();
    const wait = await claimAttempt(db, throttleKeys(email, ip));
    if (wait > 0) {
      const { seconds, words } = secondsToWait(wait);
      c.header('Retry-After', String(seconds));
      return again({ _form: `Too many failed attempts. Wait ${words}, then try again.` }, 429);
    }
    const user = await signInCandidate(db, email);
    const passwordOk = await verifyPassword(user?.password_hash ?? null, password);
    const known =
      user !== undefined &&
      passwordOk &&
      usesPassword(user) &&
      (await issuerMayStillManage(db, user.password_set_by, user.id));
    if (!known) return again({ _form: GENERIC }, 422);
    // The password is right: a refusal from here on is the host's or a plugin's, and is audited.
    // Only someone who knows the password learns a plugin's reason ("use Google"); the host's
    // own (a disabled account) reads as any failure does.
    const gate = await mayStartSession(db, user.id);
    const person = { id: user.id, kind: user.kind, email: user.email };
    const pluginRefusal = gate.ok
      ? await host.filters.apply('signin.password', null, { user: person }, CHECK_FAILED)
      : null;
    if (!gate.ok || pluginRefusal) {
      await auditRefusal(c, db, person, PASSWORD, gate.ok ? (pluginRefusal ?? '') : gate.reason);
      return again({ _form: pluginRefusal ?? GENERIC }, 422);
    }
    await clearAfterSuccess(db, email, ip);
    await db.transaction().execute((trx) => admit(c, trx, user, PASSWORD, secure));
    if (user.password_set_by) {
      setFlash(c, 'success', 'Your password was set by someone else. Choose your own now.');
      return c.redirect('/account', 303);
    }
    return c.redirect(next, 303);
  });

  app.post('/sign-out', publicRoute, async (c) => {
    const sessionId = c.get('sessionId');
    if (sessionId) {
      await db.transaction().execute(async (trx) => {
        await invalidateSession(trx, sessionId);
        await recordAudit(trx, {
          actor: auditActor(c),
          action: 'session.signed_out',
          object: {
            type: 'user',
            id: c.get('actor')?.user.id ?? null,
            label: c.get('actor')?.user.email ?? '',
          },
          requestId: c.get('requestId'),
        });
      });
    }
    clearSessionCookie(c, secure);
    setFlash(c, 'success', 'You are signed out.');
    return c.redirect('/sign-in', 303);
  });

  const invalidLink = (c: Context) => page(c, 'Link expired', <PasswordLinkGone />, 404);

  app.get('/set-password/:token', publicRoute, async (c) => {
    const found = await findPasswordToken(db, c.req.param('token'));
    if (!found) return invalidLink(c);
    const action = `/set-password/${encodeURIComponent(c.req.param('token'))}`;
    return page(
      c,
      'Choose your password',
      <SetPasswordForm action={action} email={found.email} errors={{}} />,
    );
  });

  app.post('/set-password/:token', publicRoute, async (c) => {
    const token = c.req.param('token');
    const found = await findPasswordToken(db, token);
    if (!found) return invalidLink(c);
    const form = await readForm(c);
    const parsed = validate(setPasswordSchema, {
      password: text(form, 'password'),
      passwordConfirm: text(form, 'passwordConfirm'),
    });
    if (!parsed.ok) {
      const action = `/set-password/${encodeURIComponent(token)}`;
      return page(
        c,
        'Choose your password',
        <SetPasswordForm action={action} email={found.email} errors={parsed.errors} />,
        422,
      );
    }
    const userId = await consumePasswordToken(db, token, parsed.value.password, c.get('requestId'));
    if (!userId) return invalidLink(c);
    await startSession(c, db, userId, secure);
    setFlash(c, 'success', 'Your password is set and you are signed in.');
    return c.redirect('/', 303);
  });

  return app;
}
