/** GET/POST /setup: first-run setup, open only until the firm exists and only with the token. */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import { ERRORS, ErrorPanel } from '../../views/errors.js';
import { newPasswordFields, startSession, withMatchingPasswords } from '../auth/index.js';
import type { RouteDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { fields, query, readForm, text, validate } from '../http/forms.js';
import { page } from '../http/render.js';
import { isHttps } from '../kernel/config.js';
import { publicRoute } from '../permissions/index.js';
import { settingsFields, timeZones } from '../settings/index.js';
import { completeSetup, SetupRefused, setupTokenIsValid } from './service.js';
import { SetupForm, type SetupValues } from './views.js';

const setupSchema = withMatchingPasswords(
  v.object({
    token: v.pipe(v.string(), v.trim(), v.nonEmpty('Enter the setup token printed in the server console.')),
    ...settingsFields,
    firstName: fields.name('first name'),
    lastName: fields.name('last name'),
    email: fields.email(),
    ...newPasswordFields,
  }),
);

export function setupRoutes({ db, config, organization }: RouteDeps): Hono {
  const app = new Hono();
  const zones = () => [...timeZones()].sort();

  const alreadyDone = (c: Context) =>
    page(
      c,
      'Already set up',
      <ErrorPanel
        status={403}
        title="Portico is already set up"
        message="Setup can only be done once. Sign in instead."
      />,
      403,
    );

  app.get('/setup', publicRoute, (c) => {
    if (c.get('organization')) return alreadyDone(c);
    return page(
      c,
      'Set up Portico',
      <SetupForm values={{ token: query(c, 'token') ?? '' }} errors={{}} zones={zones()} />,
    );
  });

  app.post('/setup', publicRoute, async (c) => {
    if (c.get('organization')) return alreadyDone(c);
    const form = await readForm(c);
    const values: SetupValues = Object.fromEntries(
      ['token', 'firmName', 'entityLabel', 'timeZone', 'firstName', 'lastName', 'email'].map((k) => [
        k,
        text(form, k),
      ]),
    );
    const parsed = validate(
      setupSchema,
      Object.fromEntries(Object.keys(form).map((k) => [k, text(form, k)])),
    );
    const rerender = (errors: Record<string, string>) =>
      page(c, 'Set up Portico', <SetupForm values={values} errors={errors} zones={zones()} />, 422);
    if (!parsed.ok) return rerender(parsed.errors as Record<string, string>);
    if (!(await setupTokenIsValid(db, parsed.value.token))) {
      return rerender({
        token: 'This setup token is not valid. Use the link printed in the server console.',
      });
    }
    try {
      const userId = await completeSetup(db, parsed.value, c.get('requestId'));
      organization.forget();
      await startSession(c, db, userId, isHttps(config));
      setFlash(c, 'success', `Welcome to Portico, ${parsed.value.firstName}. Your firm is ready.`);
      return c.redirect('/', 303);
    } catch (error) {
      if (error instanceof SetupRefused) {
        return error.badToken
          ? rerender({ token: 'This setup token is not valid. Use the link printed in the server console.' })
          : page(
              c,
              ERRORS[403].title,
              <ErrorPanel status={403} title="Portico is already set up" message="Sign in instead." />,
              403,
            );
      }
      throw error;
    }
  });

  return app;
}
