/**
 * What every request carries, typed by declaration merging so `c.get('actor')` is checked.
 */
import type { Flash } from '../../views/layout.js';
import type { ChangeCounts } from '../db/change-counters.js';
import type { Db } from '../db/connect.js';
import type { Organization } from '../db/schema.js';
import type { Host } from '../host/index.js';
import type { Config } from '../kernel/config.js';
import type { Logger } from '../kernel/log.js';
import type { Actor } from '../permissions/index.js';

export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
}

/** What a feature's routes are built from: the app's dependencies and what features registered. */
export type { FeatureDeps as RouteDeps } from '../host/index.js';

/**
 * How a request was let through: `public` (a route declared so), `signed-in` (a route declared that
 * any signed-in user may use it), `checked` (a route asked the permission module), or `refused`
 * (stopped before any route: not found, another site's form, too large, unreadable input), which
 * decides nothing about access.
 */
export type AuthzDecision = 'public' | 'signed-in' | 'checked' | 'refused';

declare module 'hono' {
  interface ContextVariableMap {
    requestId: string;
    nonce: string;
    /** The client's address (X-Forwarded-For's right-most entry when TRUST_PROXY is set). */
    clientIp: () => string;
    organization: Organization | null;
    sessionId: string | null;
    actor: Actor | null;
    /** Set with the session: see src/db/change-counters.ts. */
    changeCounts: ChangeCounts | null;
    flash: Flash | null;
    authz: AuthzDecision | undefined;
    /** What the features registered (navigation, slots): set on every request after the firm loads. */
    host: Host;
    /**
     * Which place of the navigation a page belongs to, when its path does not say: a plugin's tab
     * at /p/example/entities/:id is inside Clients. Unset: the request's path.
     */
    navPath: string | undefined;
  }
}
