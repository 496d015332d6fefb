/** The auth feature's public face: what other folders may use of it. */
export { accountRoutes } from './account-routes.js';
export { authFeature } from './feature.js';
export { forgotPasswordRoutes } from './forgot-routes.js';
export { signInLinkRoutes } from './link-routes.js';
export { sessionMiddleware } from './middleware.js';
export { hashPassword, passwordProblem } from './password.js';
export { passwordResetRequestHandler } from './password-reset.js';
export { createPasswordToken, setPassword, setPasswordPath } from './password-tokens.js';
export { emailRequestWait } from './request-throttle.js';
export { signInRoutes } from './routes.js';
export { newPasswordFields, withMatchingPasswords } from './schema.js';
export { invalidateUserSessions } from './sessions.js';
export {
  contactWhoMaySignIn,
  duration,
  type LinkLetter,
  sendLink,
  signInRequestHandler,
  voidLinks,
} from './sign-in-links.js';
export { startSession } from './start-session.js';
export { accountKey, forgetOldAttempts } from './throttle.js';
