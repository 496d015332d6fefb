/**
 * Sign in with email and password, sign out, and one-time set-password links. Every failure to
 * sign in looks the same (page, status and time), and repeated failures are slowed down.
 */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import { ERRORS, ErrorPanel } from '../../views/errors.js';
import { auditActor, recordAudit } from '../audit/record.js';
import { isHttps } from '../config.js';
import type { AppDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { readForm, text, validate } from '../http/forms.js';
import { page } from '../http/render.js';
import { safeNext } from '../http/safe-next.js';
import { publicRoute } from '../permissions/guard.js';
import { verifyPassword } from './password.js';
import { consumePasswordToken, findPasswordToken } from './password-tokens.js';
import { newPasswordFields, withMatchingPasswords } from './schema.js';
import { clearSessionCookie, invalidateSession } from './sessions.js';
import { startSession } from './start-session.js';
import { recordFailure, recordSuccess, retryAfter, throttleKeys } from './throttle.js';
import { SetPasswordForm, SignInForm } from './views.js';

const GENERIC = 'That email and password do not match an account that can sign in.';
const setPasswordSchema = withMatchingPasswords(v.object({ ...newPasswordFields }));

export function signInRoutes({ db, config }: AppDeps): Hono {
  const app = new Hono();
  const secure = isHttps(config);

  app.get('/sign-in', publicRoute, (c) => {
    const next = safeNext(c.req.query('next'));
    if (c.get('actor')) return c.redirect(next, 302);
    return page(c, 'Sign in', <SignInForm email="" next={next} errors={{}} />);
  });

  app.post('/sign-in', publicRoute, async (c) => {
    const form = await readForm(c);
    const email = text(form, 'email').trim();
    const password = text(form, 'password');
    const next = safeNext(text(form, 'next'));
    const again = (errors: Record<string, string>, status: 422 | 429) =>
      page(c, 'Sign in', <SignInForm email={email} next={next} errors={errors} />, status);

    if (!email || !password) {
      return again(
        {
          ...(email ? {} : { email: 'Enter your email address.' }),
          ...(password ? {} : { password: 'Enter your password.' }),
        },
        422,
      );
    }
    const keys = throttleKeys(email, c.get('clientIp'));
    const wait = await retryAfter(db, keys);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      c.header('Retry-After', String(seconds));
      return again({ _form: `Too many failed attempts. Wait ${seconds} seconds, then try again.` }, 429);
    }
    const user = await db
      .selectFrom('users')
      .select(['id', 'password_hash', 'disabled_at', 'kind', 'email', 'first_name', 'last_name'])
      .where('email_normalized', '=', email.toLowerCase())
      .executeTakeFirst();
    const passwordOk = await verifyPassword(user?.password_hash ?? null, password);
    if (!user || !passwordOk || user.disabled_at !== null || user.kind !== 'staff') {
      await recordFailure(db, keys);
      return again({ _form: GENERIC }, 422);
    }
    await recordSuccess(db, email);
    await startSession(c, db, user.id, secure);
    await recordAudit(db, {
      actor: { id: user.id, label: `${user.first_name} ${user.last_name} <${user.email}>` },
      action: 'session.signed_in',
      object: { type: 'user', id: user.id, label: user.email },
      requestId: c.get('requestId'),
    });
    return c.redirect(next, 303);
  });

  app.post('/sign-out', publicRoute, async (c) => {
    const sessionId = c.get('sessionId');
    if (sessionId) {
      await invalidateSession(db, sessionId);
      await recordAudit(db, {
        actor: auditActor(c),
        action: 'session.signed_out',
        object: {
          type: 'user',
          id: c.get('actor')?.user.id ?? null,
          label: c.get('actor')?.user.email ?? '',
        },
        requestId: c.get('requestId'),
      });
    }
    clearSessionCookie(c, secure);
    setFlash(c, 'success', 'You are signed out.');
    return c.redirect('/sign-in', 303);
  });

  const invalidLink = (c: Context) =>
    page(
      c,
      ERRORS[404].title,
      <ErrorPanel
        status={404}
        title="This link has expired or was already used"
        message="Ask an Admin of your firm for a new set-password link."
      />,
      404,
    );

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
