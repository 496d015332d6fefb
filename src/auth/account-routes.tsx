/** The signed-in user's own account: change password, sign out of every other session. */

import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import type { FieldErrors } from '../../views/forms.js';
import { recordAudit } from '../audit/record.js';
import type { RouteDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { readForm, text, validate } from '../http/forms.js';
import { page } from '../http/render.js';
import { auditActor } from '../http/service-ctx.js';
import { isHttps } from '../kernel/config.js';
import { Forbidden, requireSignedIn, signedInRoute, usesPassword } from '../permissions/index.js';
import { hashPassword, verifyPassword } from './password.js';
import { setPassword } from './password-tokens.js';
import { otherSessionCount, passwordHashOf } from './queries.js';
import { newPasswordFields, withMatchingPasswords } from './schema.js';
import { invalidateUserSessions } from './sessions.js';
import { startSession } from './start-session.js';
import { accountKey, claimAttempt, secondsToWait } from './throttle.js';
import { AccountPage } from './views.js';

const changeSchema = withMatchingPasswords(
  v.object({
    currentPassword: v.pipe(v.string(), v.nonEmpty('Enter your current password.')),
    ...newPasswordFields,
  }),
);

export function accountRoutes({ db, config, host }: RouteDeps): Hono {
  const app = new Hono();
  const secure = isHttps(config);

  const render = async (c: Context, errors: FieldErrors, status: 200 | 422 = 200) => {
    const actor = requireSignedIn(c);
    const others = await otherSessionCount(db, actor.user.id, c.get('sessionId') ?? '');
    const u = actor.user;
    return page(
      c,
      'Your account',
      <AccountPage
        name={`${u.first_name} ${u.last_name}`}
        email={u.email}
        otherSessions={others}
        usesPassword={usesPassword(u)}
        errors={errors}
        panels={await host.slots.fill('account.panels', { c, actor })}
      />,
      status,
    );
  };

  app.get('/account', signedInRoute, (c) => render(c, {}));

  app.post('/account/password', signedInRoute, async (c) => {
    const actor = requireSignedIn(c);
    if (!usesPassword(actor.user)) throw new Forbidden();
    const form = await readForm(c);
    const parsed = validate(changeSchema, {
      currentPassword: text(form, 'currentPassword'),
      password: text(form, 'password'),
      passwordConfirm: text(form, 'passwordConfirm'),
    });
    if (!parsed.ok) return render(c, parsed.errors, 422);
    const currentHash = await passwordHashOf(db, actor.user.id);
    // Guesses at the current password (say, from a stolen session) are throttled like sign-in.
    const wait = await claimAttempt(db, [accountKey(actor.user.email)]);
    if (wait > 0) {
      return render(
        c,
        { currentPassword: `Too many wrong passwords. Wait ${secondsToWait(wait).words}, then try again.` },
        422,
      );
    }
    if (!(await verifyPassword(currentHash, parsed.value.currentPassword))) {
      return render(c, { currentPassword: 'That is not your current password.' }, 422);
    }
    const passwordHash = await hashPassword(parsed.value.password);
    await db.transaction().execute(async (trx) => {
      await setPassword(trx, actor.user.id, passwordHash, null);
      await recordAudit(trx, {
        actor: auditActor(c),
        action: 'user.password_set',
        object: { type: 'user', id: actor.user.id, label: actor.user.email },
        after: { via: 'own account' },
        requestId: c.get('requestId'),
      });
    });
    c.set('sessionId', null);
    await startSession(c, db, actor.user.id, secure);
    setFlash(c, 'success', 'Your password is changed. You were signed out everywhere else.');
    return c.redirect('/account', 303);
  });

  app.post('/account/sign-out-others', signedInRoute, async (c) => {
    const actor = requireSignedIn(c);
    const ended = await db.transaction().execute(async (trx) => {
      const n = await invalidateUserSessions(trx, actor.user.id, c.get('sessionId') ?? undefined);
      await recordAudit(trx, {
        actor: auditActor(c),
        action: 'session.signed_out_others',
        object: { type: 'user', id: actor.user.id, label: actor.user.email },
        after: { sessionsEnded: n },
        requestId: c.get('requestId'),
      });
      return n;
    });
    setFlash(
      c,
      'success',
      ended === 1 ? 'One other session was ended.' : `${ended} other sessions were ended.`,
    );
    return c.redirect('/account', 303);
  });

  return app;
}
