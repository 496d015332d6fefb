/**
 * "Assign to Entities" from a staff member, contact, staff group or contact group: the roles they
 * hold at entities (or for every entity), what they inherit and from where, giving a role at the
 * entities ticked, and removing one. What may be given, taken or seen is the permission module's.
 */
import { type Context, Hono } from 'hono';
import { type SqlBool, sql } from 'kysely';
import type { FieldErrors } from '../../views/forms.js';
import { toldMessage } from '../client-portal/index.js';
import { entitiesById, entityChoices } from '../entities/index.js';
import type { AppDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { list, query, readForm, text } from '../http/forms.js';
import { page } from '../http/render.js';
import { ruleErrors } from '../http/rule-error.js';
import { serviceCtx } from '../http/service-ctx.js';
import { DEFAULT_LINKS } from '../kernel/config.js';
import {
  type Actor,
  can,
  canAnywhere,
  entityRoleChoices,
  mayShareAnywhere,
  mayShareAt,
  NotFound,
  principalBindings,
  requireStaff,
  SYSTEM,
  type Target,
  visibleEntities,
} from '../permissions/index.js';
import { loadPrincipal, PRINCIPAL_PATHS, type PrincipalPath } from './principals.js';
import { bindingRows, bindingsOf, isDirect, seenBy } from './rows.js';
import * as service from './service.js';
import { ALL_ENTITIES, AssignPage } from './views.js';

export function assignRoutes({ db, config }: AppDeps): Hono {
  const app = new Hono();
  const invitationMs = (config.links ?? DEFAULT_LINKS).invitationMs;

  /** Entities where the actor may give or take roles: Share (A), or (S) on what they own. */
  const shareable = (actor: Actor) =>
    sql<SqlBool>`(${visibleEntities(db, actor, 'entity:A', 'e.id')} or ${visibleEntities(db, actor, 'entity:S', 'e.id')})`;

  async function load(c: Context, path: PrincipalPath) {
    const actor = requireStaff(c);
    const principal = await loadPrincipal(db, actor, path, c.req.param('id') ?? '');
    // The page is for those who may share somewhere; what they may change is checked per entity.
    if (!principal || !mayShareAnywhere(actor)) throw new NotFound();
    // Who holds what through which group, and administrative roles, are for those who may read it.
    const full =
      principal.kind === 'staff' ? can(actor, 'staff.details:R') : canAnywhere(actor, 'contact.summary:R');
    return { actor, principal, full, path };
  }
  type Loaded = Awaited<ReturnType<typeof load>>;

  async function render(
    c: Context,
    { actor, principal, full, path }: Loaded,
    form: { q: string; ticked: string[]; role?: string | undefined; errors: FieldErrors },
    status: 200 | 422 = 200,
  ) {
    const bindings = await bindingsOf(db, principal);
    const [direct, inherited, choices, options] = await Promise.all([
      bindingRows(db, actor, bindings.filter(isDirect), principal.kind, full),
      bindingRows(
        db,
        actor,
        bindings.filter((b) => !isDirect(b)),
        principal.kind,
        full,
      ),
      entityRoleChoices(db, principal.kind),
      entityChoices(
        db,
        shareable(actor),
        form.ticked.filter((t) => t !== ALL_ENTITIES),
        form.q,
      ),
    ]);
    const w = wordsFor(c);
    return page(
      c,
      `Assign ${principal.name} to ${w.many.toLowerCase()}`,
      <AssignPage
        words={w}
        name={principal.name}
        href={principal.href}
        action={`${path}/${c.req.param('id')}/entities`}
        direct={direct}
        inherited={inherited}
        choices={choices}
        offerAll={principal.kind === 'staff' && mayShareAt(actor, [SYSTEM])}
        picker={{ q: form.q, ticked: form.ticked, options }}
        role={form.role}
        errors={form.errors}
      />,
      status,
    );
  }

  for (const path of PRINCIPAL_PATHS) {
    app.get(`${path}/:id/entities`, async (c) => {
      const loaded = await load(c, path);
      const search = query(c, 'search') === '1';
      return render(c, loaded, {
        q: search ? (query(c, 'q') ?? '').slice(0, 100) : '',
        ticked: search ? (c.req.queries('entities') ?? []) : [],
        role: search ? query(c, 'role') : undefined,
        errors: {},
      });
    });

    app.post(`${path}/:id/entities`, async (c) => {
      const loaded = await load(c, path);
      const { actor, principal } = loaded;
      const form = await readForm(c);
      const ticked = [...new Set(list(form, 'entities'))];
      const role = text(form, 'role');
      const again = (errors: FieldErrors) =>
        render(c, loaded, { q: text(form, 'q'), ticked, role, errors }, 422);
      const w = wordsFor(c);
      const errors: FieldErrors = {};
      if (ticked.length === 0) errors.entities = `Choose at least one ${w.lower}.`;
      if (!role) errors.role = 'Choose the role to assign.';
      if (Object.keys(errors).length) return again(errors);
      // Every id named must be one the actor sees; one that is not is refused like one that does not exist.
      const ids = ticked.filter((t) => t !== ALL_ENTITIES);
      const found = await entitiesById(db, ids, seenBy(db, actor));
      if (found.size !== ids.length)
        return again({ entities: `Choose ${w.many.toLowerCase()} from the list.` });
      const targets: Target[] = [
        ...(ticked.includes(ALL_ENTITIES) ? [{ scope: SYSTEM, name: `all ${w.many.toLowerCase()}` }] : []),
        ...[...found.values()].map((e) => ({ scope: { type: 'entity' as const, id: e.id }, name: e.name })),
      ];
      try {
        const site = {
          firmName: c.get('organization')?.name ?? 'Portico',
          baseUrl: config.baseUrl,
          invitationMs,
        };
        const result = await db
          .transaction()
          .execute((trx) =>
            service.grant(trx, serviceCtx(c, actor), principal, role, targets, { site, words: w }),
          );
        const n = targets.length;
        const at = targets.some((t) => t.scope.type === 'system')
          ? `for all ${w.many.toLowerCase()}`
          : n === 1
            ? `at ${targets[0]?.name ?? ''}`
            : `at ${n} ${w.many.toLowerCase()}`;
        setFlash(
          c,
          'success',
          [`${principal.name} now has ${result.role.name} ${at}.`, ...toldMessage(config, result.told)].join(
            ' ',
          ),
        );
      } catch (error) {
        return again(ruleErrors(error));
      }
      return c.redirect(`${principal.href}/entities`, 303);
    });

    app.post(`${path}/:id/entities/remove`, async (c) => {
      const loaded = await load(c, path);
      const { actor, principal } = loaded;
      const bindingId = text(await readForm(c), 'binding');
      const binding = (await principalBindings(db, principal.principal))
        .filter(isDirect)
        .find((b) => b.bindingId === bindingId);
      const entity =
        binding?.scope.type === 'entity'
          ? (await entitiesById(db, [binding.scope.id], seenBy(db, actor))).get(binding.scope.id)
          : undefined;
      if (!binding || (binding.scope.type === 'entity' && !entity)) throw new NotFound();
      const w = wordsFor(c);
      const target: Target = entity
        ? { scope: binding.scope, name: entity.name }
        : { scope: SYSTEM, name: `all ${w.many.toLowerCase()}` };
      try {
        await db
          .transaction()
          .execute((trx) =>
            service.revoke(
              trx,
              serviceCtx(c, actor),
              principal,
              { id: binding.bindingId, roleId: binding.roleId },
              target,
            ),
          );
      } catch (error) {
        // A refused removal is about the whole page, not the form below it.
        const [message = ''] = Object.values(ruleErrors(error));
        return render(c, loaded, { q: '', ticked: [], errors: { _form: message } }, 422);
      }
      setFlash(c, 'success', `Removed from ${target.name}.`);
      return c.redirect(`${principal.href}/entities`, 303);
    });
  }

  return app;
}
