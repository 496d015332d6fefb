/**
 * Signing in and out: passwords, emailed sign-in links, "Forgot your password?", the account page,
 * and the background answers to link and reset requests.
 */

import { defineFeature } from '../host/index.js';
import { DEFAULT_LINKS } from '../kernel/config.js';
import { HOUR } from '../kernel/durations.js';
import { accountRoutes } from './account-routes.js';
import { forgotPasswordRoutes } from './forgot-routes.js';
import { forgetExpiredSignIns } from './housekeeping.js';
import { signInLinkRoutes } from './link-routes.js';
import { passwordResetRequestHandler } from './password-reset.js';
import { signInRoutes } from './routes.js';
import { authServices } from './services.js';
import { signInRequestHandler } from './sign-in-links.js';

export const authFeature = defineFeature({
  id: 'auth',
  register(r, deps) {
    const { config, db } = deps;
    r.routes(signInRoutes(deps));
    r.routes(signInLinkRoutes(deps));
    r.routes(forgotPasswordRoutes(deps));
    r.routes(accountRoutes(deps));
    r.job(
      'signin.request',
      signInRequestHandler(db, config.baseUrl, (config.links ?? DEFAULT_LINKS).signInMs),
    );
    r.job('password.reset_request', passwordResetRequestHandler(db, config.baseUrl));
    r.schedule({ name: 'auth.forget-expired', everyMs: HOUR, run: (handle) => forgetExpiredSignIns(handle) });
    const services = authServices(deps);
    r.provide('auth.signIn', services.signIn);
    r.provide('auth.waysIn', services.waysIn);
    r.provide('auth.sessionAge', services.sessionAge);
  },
});
