/**
 * Turns a loaded plugin into a feature the host registers like any other, through `ctx`: the
 * plugin's only door. Everything it registers is recorded under its id and stays off while the
 * plugin is not configured (its settings fields not yet saved valid): routes answer 404, slots,
 * navigation, filters, listeners, jobs and schedules do nothing.
 */
import { Hono } from 'hono';
import { recordAudit } from '../audit/record.js';
import { countPluginChange } from '../db/change-counters.js';
import { VersionedCache } from '../db/versioned-cache.js';
import { defineFeature, type Feature, type Registrar } from '../host/index.js';
import { setFlash } from '../http/flash.js';
import { page } from '../http/render.js';
import { normalizeEmail } from '../kernel/names.js';
import { type Secrets, secretsFrom } from '../kernel/secrets.js';
import { queueMail } from '../mail/send.js';
import {
  authorize,
  authorizeOrNotFound,
  can,
  entityChain,
  personById,
  personByNormalizedEmail,
  publicRoute,
  requireSignedIn,
  requireStaff,
  signedInRoute,
} from '../permissions/index.js';
import type { PluginContext, PluginDefinition } from './define.js';
import type { LoadedPlugin } from './loader.js';
import type { PluginSettingsStore } from './settings.js';
import { PluginStartError } from './settings.js';
import { guardedDb, unguarded } from './table-guard.js';

/** SECRET_KEY's uses under the plugin's own purposes ("<id>:<purpose>"); every use fails without a key. */
function pluginSecrets(id: string, secretKey: Uint8Array | undefined): Secrets {
  const all = secretKey ? secretsFrom(secretKey) : null;
  const use = () => {
    if (!all) throw new Error('SECRET_KEY is not set');
    return all;
  };
  return {
    seal: (purpose, plaintext) => use().seal(`${id}:${purpose}`, plaintext),
    open: (purpose, sealed) => use().open(`${id}:${purpose}`, sealed),
    sign: (purpose, value) => use().sign(`${id}:${purpose}`, value),
    verify: (purpose, signed) => use().verify(`${id}:${purpose}`, signed),
  };
}

/** The plugin as a feature mounted at /p/<id>. */
export function pluginFeature(plugin: LoadedPlugin, store: PluginSettingsStore): Feature {
  const { definition } = plugin;
  const on = async () => (await store.state(definition)).configured;
  return defineFeature({
    id: definition.id,
    mountAt: `/p/${definition.id}`,
    register(r, deps) {
      const ctx = contextFor(definition, plugin.secrets, store, r, deps, on);
      try {
        definition.register(ctx);
      } catch (error) {
        throw new PluginStartError(
          `plugin ${definition.id}: register failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
  });
}

function contextFor(
  definition: PluginDefinition<unknown>,
  secrets: Record<string, string | undefined>,
  store: PluginSettingsStore,
  r: Registrar,
  deps: Parameters<Feature['register']>[1],
  on: () => Promise<boolean>,
): PluginContext<unknown> {
  const id = definition.id;
  const db = guardedDb<unknown>(deps.db, id);
  const kept = new VersionedCache<unknown>(500);
  const log = {
    enabled: deps.log.enabled,
    debug: (m: string, f?: Record<string, unknown>) => deps.log.debug(m, { plugin: id, ...f }),
    info: (m: string, f?: Record<string, unknown>) => deps.log.info(m, { plugin: id, ...f }),
    warn: (m: string, f?: Record<string, unknown>) => deps.log.warn(m, { plugin: id, ...f }),
    error: (m: string, f?: Record<string, unknown>) => deps.log.error(m, { plugin: id, ...f }),
  };
  return {
    id,
    baseUrl: deps.config.baseUrl,
    db,
    log,
    flash: setFlash,
    routes(build) {
      const inner = new Hono();
      build(inner);
      const app = new Hono();
      app.use('*', async (c, next) => {
        if (await on()) return next();
        // Not configured: as if the plugin had no routes.
        c.set('authz', 'refused');
        return c.notFound();
      });
      app.route('/', inner);
      r.routes(app);
    },
    nav(entry) {
      r.nav({
        ...entry,
        visible: (actor) => store.known(definition).configured && (entry.visible?.(actor) ?? true),
      });
    },
    slot(name, fill, order) {
      r.slot(name, async (props) => ((await on()) ? fill(props) : null), order);
    },
    // Only its routes call this, and they answer 404 while the plugin is off.
    frame: (c, name, props) => deps.host.frames.render(name, c, props),
    on(name, listener) {
      // Whether it is configured is asked before the delivery's transaction opens (see `when`).
      r.on(
        name,
        (payload, eventCtx) => listener(payload, { ...eventCtx, db: guardedDb<unknown>(eventCtx.db, id) }),
        {
          when: on,
        },
      );
    },
    filter(name, filter) {
      r.filter(name, async (value, context) => ((await on()) ? filter(value, context) : value));
    },
    job(kind, handler) {
      r.job(kind, {
        ...handler,
        run: async (payload, job) => {
          if (await on()) await handler.run(payload, job);
        },
      });
    },
    schedule(schedule) {
      r.schedule({
        ...schedule,
        run: async () => {
          if (await on()) await schedule.run(db);
        },
      });
    },
    signInProvider(provider) {
      r.slot('signin.buttons', async () => ((await on()) ? provider : null));
    },
    settings: () => {
      const state = store.known(definition);
      return state.configured ? state.values : {};
    },
    secret: (name) => secrets[name],
    secretKey: pluginSecrets(id, deps.config.secretKey),
    async mail(handle, mail) {
      await queueMail(unguarded(handle), mail);
    },
    async audit(handle, entry) {
      await recordAudit(unguarded(handle), {
        actor: { id: null, label: `Plugin ${id}` },
        action: 'plugin.recorded',
        object: entry.object,
        after: {
          plugin: id,
          what: entry.what,
          ...(entry.after === undefined ? {} : { details: entry.after }),
        },
      });
    },
    changed: (handle) => countPluginChange(unguarded(handle)),
    keep: (key, version, build) => kept.get(key, version, build) as ReturnType<typeof build>,
    lookup: {
      userByEmail: (email) => personByNormalizedEmail(deps.db, normalizeEmail(email)),
      userById: (userId) => personById(deps.db, userId),
      can: (actor, permission, chain) => can(actor, permission, chain),
      entityChain,
    },
    auth: {
      // Asked of the host at call time: the auth feature provides them (src/auth/services.ts).
      signIn: (c, userId, options) =>
        deps.host.services.get('auth.signIn')(c, userId, { ...options, plugin: id }),
      waysIn: (userId) => deps.host.services.get('auth.waysIn')(userId),
      sessionAge: (c) => deps.host.services.get('auth.sessionAge')(c),
    },
    authorize,
    authorizeOrNotFound,
    requireStaff,
    requireSignedIn,
    signedInRoute,
    publicRoute,
    page,
  };
}
