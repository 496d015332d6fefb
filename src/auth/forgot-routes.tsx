/**
 * "Forgot your password?" (staff): a public page asking for the email one signs in with. Every
 * answer to a well-formed address is the same words, status and timing, whether or not it belongs
 * to anyone: the request only queues a job (src/auth/password-reset.ts looks the address up and
 * emails a link to an enabled staff member only). Asking is rate limited per address and per client.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppDeps } from '../http/context.js';
import { fields, readForm, text, validate } from '../http/forms.js';
import { page } from '../http/render.js';
import { enqueue } from '../jobs/queue.js';
import { publicRoute } from '../permissions/index.js';
import { emailRequestWait } from './request-throttle.js';
import { accountKey } from './throttle.js';
import { ForgotPasswordForm } from './views.js';

const TITLE = 'Forgot your password?';
const schema = v.object({ email: fields.email() });

export function forgotPasswordRoutes({ db }: AppDeps): Hono {
  const app = new Hono();

  app.get('/forgot-password', publicRoute, (c) =>
    page(c, TITLE, <ForgotPasswordForm email="" errors={{}} sent={false} />),
  );

  app.post('/forgot-password', publicRoute, async (c) => {
    const email = text(await readForm(c), 'email').trim();
    const parsed = validate(schema, { email });
    if (!parsed.ok)
      return page(c, TITLE, <ForgotPasswordForm email={email} errors={parsed.errors} sent={false} />, 422);
    const wait = await emailRequestWait(db, c, 'reset', accountKey(parsed.value.email));
    if (wait.seconds > 0)
      return page(
        c,
        TITLE,
        <ForgotPasswordForm
          email={email}
          errors={{ _form: `Too many requests. Wait ${wait.words}, then try again.` }}
          sent={false}
        />,
        429,
      );
    const firmName = c.get('organization')?.name ?? 'Portico';
    await enqueue(db, 'password.reset_request', { email: parsed.value.email, firmName });
    return page(c, TITLE, <ForgotPasswordForm email="" errors={{}} sent={true} />);
  });

  return app;
}
