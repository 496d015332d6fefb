/**
 * "Assign to Entities" from a staff member, contact, staff group or contact group, and an entity's
 * "Who can see it" with "Why can this person see it?". What may be given, taken or seen is decided
 * by the permission module; these handlers gather the page and record what changed.
 */
import { type Context, Hono } from 'hono';
import { type SqlBool, sql } from 'kysely';
import type { FieldErrors } from '../../views/forms.js';
import type { UserKind } from '../db/schema.js';
import { findEntity } from '../entities/queries.js';
import { wordsFor } from '../entities/schema.js';
import type { AppDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { list, readForm, text } from '../http/forms.js';
import { page } from '../http/render.js';
import { ruleErrors } from '../http/rule-error.js';
import { serviceCtx } from '../http/service-ctx.js';
import { normalizeEmail } from '../people/names.js';
import {
  type Actor,
  accessToEntity,
  type EffectiveBinding,
  entityChain,
  entityRoleChoices,
  explain,
  Forbidden,
  GrantError,
  loadActor,
  loadBindings,
  mayShareAnywhere,
  mayShareAt,
  NotFound,
  principalBindings,
  requireStaff,
  visibleEntities,
} from '../permissions/index.js';
import { type LoadedPrincipal, loadPrincipal, PRINCIPAL_PATHS, type PrincipalPath } from './principals.js';
import { entitiesById, entityChoices, roleNames } from './queries.js';
import * as service from './service.js';
import { AccessPage, AssignPage, type DirectRow, type InheritedRow } from './views.js';

/** A refusal from the permission module, shown beside the entities. */
const grantErrors = (error: unknown): FieldErrors =>
  error instanceof GrantError ? { entities: error.message } : ruleErrors(error);

export function accessRoutes({ db }: AppDeps): Hono {
  const app = new Hono();
  const words = wordsFor;
  const seen = (actor: Actor) => visibleEntities(db, actor, 'entity.summary:R', 'e.id');
  /** Entities where the actor may give or take roles: Share (A), or (S) on what they own. */
  const shareable = (actor: Actor) =>
    sql<SqlBool>`(${visibleEntities(db, actor, 'entity:A', 'e.id')} or ${visibleEntities(db, actor, 'entity:S', 'e.id')})`;

  /** Bindings of the principal and, for a person, those through their groups. */
  async function bindingsOf(p: LoadedPrincipal): Promise<EffectiveBinding[]> {
    return p.user ? loadBindings(db, p.user) : principalBindings(db, p.principal);
  }

  /** Rows for "Inherited" (or for "Why?"): entity names only where the viewer sees the entity. */
  async function inheritedRows(
    actor: Actor,
    bindings: EffectiveBinding[],
    kind: UserKind,
  ): Promise<InheritedRow[]> {
    const [entities, names] = await Promise.all([
      entitiesById(
        db,
        bindings.filter((b) => b.scope.type === 'entity').map((b) => b.scope.id),
        seen(actor),
      ),
      roleNames(
        db,
        bindings.map((b) => b.roleId),
      ),
    ]);
    return bindings
      .filter((b) => b.scope.type === 'system' || entities.has(b.scope.id))
      .map((b) => {
        const entity = entities.get(b.scope.id);
        return {
          roleName: names.get(b.roleId) ?? b.roleId,
          entity: entity ? { id: entity.id, name: entity.name } : null,
          group: b.group
            ? {
                name: b.group.name,
                href: `/${kind === 'staff' ? 'groups' : 'contact-groups'}/${b.group.id}`,
              }
            : null,
        };
      });
  }

  async function load(c: Context, path: PrincipalPath) {
    const actor = requireStaff(c);
    const principal = await loadPrincipal(db, actor, path, c.req.param('id') ?? '');
    // The page is for those who may share somewhere; what they may change is checked per entity.
    if (!principal || !mayShareAnywhere(actor)) throw new NotFound();
    return { actor, principal, canShare: true };
  }

  async function renderAssign(
    c: Context,
    path: PrincipalPath,
    loaded: Awaited<ReturnType<typeof load>>,
    form: { q: string; ticked: string[]; role?: string | undefined; errors: FieldErrors },
    status: 200 | 422 = 200,
  ) {
    const { actor, principal, canShare } = loaded;
    const bindings = await bindingsOf(principal);
    const direct = bindings.filter((b) => b.group === null && b.scope.type === 'entity');
    const [entities, names, choices, options, inherited] = await Promise.all([
      entitiesById(
        db,
        direct.map((b) => b.scope.id),
        seen(actor),
      ),
      roleNames(
        db,
        direct.map((b) => b.roleId),
      ),
      entityRoleChoices(db, principal.kind),
      canShare ? entityChoices(db, shareable(actor), form.ticked, form.q) : [],
      inheritedRows(
        actor,
        bindings.filter((b) => !(b.group === null && b.scope.type === 'entity')),
        principal.kind,
      ),
    ]);
    const rows: DirectRow[] = direct.flatMap((b) => {
      const entity = entities.get(b.scope.id);
      return entity ? [{ bindingId: b.bindingId, roleName: names.get(b.roleId) ?? b.roleId, entity }] : [];
    });
    const w = words(c);
    return page(
      c,
      `Assign ${principal.name} to ${w.many.toLowerCase()}`,
      <AssignPage
        words={w}
        name={principal.name}
        href={principal.href}
        action={`${path}/${c.req.param('id')}/entities`}
        direct={rows}
        hidden={direct.length - rows.length}
        inherited={inherited}
        canShare={canShare}
        choices={choices}
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
      const search = c.req.query('search') === '1';
      return renderAssign(c, path, loaded, {
        q: search ? (c.req.query('q') ?? '').slice(0, 100) : '',
        ticked: search ? (c.req.queries('entities') ?? []) : [],
        role: search ? c.req.query('role') : undefined,
        errors: {},
      });
    });

    app.post(`${path}/:id/entities`, async (c) => {
      const loaded = await load(c, path);
      const { actor, principal } = loaded;
      if (!loaded.canShare) throw new Forbidden();
      const form = await readForm(c);
      const ticked = [...new Set(list(form, 'entities'))];
      const role = text(form, 'role');
      const again = (errors: FieldErrors) =>
        renderAssign(c, path, loaded, { q: text(form, 'q'), ticked, role, errors }, 422);
      const errors: FieldErrors = {};
      const w = words(c);
      if (ticked.length === 0) errors.entities = `Choose at least one ${w.lower}.`;
      if (!role) errors.role = 'Choose the role to assign.';
      if (Object.keys(errors).length) return again(errors);
      // Every id named must be one the actor sees; one that is not is refused like one that does not exist.
      const found = await entitiesById(db, ticked, seen(actor));
      if (found.size !== ticked.length)
        return again({ entities: `Choose ${w.many.toLowerCase()} from the list.` });
      try {
        const result = await db
          .transaction()
          .execute((trx) => service.grant(trx, serviceCtx(c, actor), principal, role, [...found.values()]));
        setFlash(
          c,
          'success',
          `${principal.name} now has ${result.role.name} at ${ticked.length} ${ticked.length === 1 ? w.lower : w.many.toLowerCase()}.`,
        );
      } catch (error) {
        return again(grantErrors(error));
      }
      return c.redirect(`${principal.href}/entities`, 303);
    });

    app.post(`${path}/:id/entities/remove`, async (c) => {
      const loaded = await load(c, path);
      const { actor, principal } = loaded;
      if (!loaded.canShare) throw new Forbidden();
      const bindingId = text(await readForm(c), 'binding');
      const binding = (await principalBindings(db, principal.principal)).find(
        (b) => b.bindingId === bindingId && b.scope.type === 'entity',
      );
      const entity = binding
        ? (await entitiesById(db, [binding.scope.id], seen(actor))).get(binding.scope.id)
        : undefined;
      if (!binding || !entity) throw new NotFound();
      try {
        await db
          .transaction()
          .execute((trx) =>
            service.revoke(
              trx,
              serviceCtx(c, actor),
              principal,
              { id: binding.bindingId, roleId: binding.roleId },
              entity,
            ),
          );
      } catch (error) {
        return renderAssign(
          c,
          path,
          loaded,
          { q: '', ticked: [], errors: { _form: grantErrors(error).entities ?? '' } },
          422,
        );
      }
      setFlash(c, 'success', `Removed from ${entity.name}.`);
      return c.redirect(`${principal.href}/entities`, 303);
    });
  }

  /** The entity, when the caller may see it and share it; otherwise exactly what a missing id gets. */
  async function loadEntity(c: Context) {
    const actor = requireStaff(c);
    const id = c.req.param('id') ?? '';
    const entity = mayShareAt(actor, id) ? await findEntity(db, id) : undefined;
    if (!entity) throw new NotFound();
    return { actor, entity };
  }

  async function renderAccess(
    c: Context,
    actor: Actor,
    entity: { id: string; name: string },
    errors: FieldErrors = {},
  ) {
    const email = (c.req.query('person') ?? '').slice(0, 254);
    let check: { name: string; reasons: InheritedRow[] } | null = null;
    if (email) {
      const person = await db
        .selectFrom('users')
        .select(['id', 'kind', 'email', 'first_name', 'last_name'])
        .where('email_normalized', '=', normalizeEmail(email))
        .executeTakeFirst();
      if (!person) errors = { ...errors, person: 'Nobody has this email address.' };
      else {
        const reasons = explain(await loadActor(db, person), 'entity.summary:R', entityChain(entity.id));
        check = {
          name: `${person.first_name} ${person.last_name}`,
          reasons: await inheritedRows(actor, reasons, person.kind),
        };
      }
    }
    return page(
      c,
      `Who can see ${entity.name}`,
      <AccessPage
        words={words(c)}
        entity={entity}
        rows={await accessToEntity(db, entity.id, 'entity.summary:R')}
        check={check}
        checkEmail={email}
        errors={errors}
      />,
      Object.keys(errors).some((k) => k !== 'person') ? 422 : 200,
    );
  }

  app.get('/entities/:id/access', async (c) => {
    const { actor, entity } = await loadEntity(c);
    return renderAccess(c, actor, entity);
  });

  app.post('/entities/:id/access/revoke', async (c) => {
    const { actor, entity } = await loadEntity(c);
    const bindingId = text(await readForm(c), 'binding');
    const binding = await db
      .selectFrom('role_bindings as rb')
      .leftJoin('users as u', 'u.id', 'rb.user_id')
      .leftJoin('groups as g', 'g.id', 'rb.group_id')
      .select([
        'rb.id',
        'rb.role_id',
        'rb.user_id',
        'rb.group_id',
        'u.kind as user_kind',
        'g.kind as group_kind',
      ])
      .select(['u.first_name', 'u.last_name', 'g.name as group_name'])
      .where('rb.id', '=', bindingId)
      .where('rb.scope_type', '=', 'entity')
      .where('rb.scope_id', '=', entity.id)
      .executeTakeFirst();
    if (!binding) throw new NotFound();
    const kind = binding.user_kind ?? binding.group_kind ?? 'staff';
    const who = binding.user_id
      ? `${binding.first_name} ${binding.last_name}`
      : `group ${binding.group_name}`;
    try {
      await db
        .transaction()
        .execute((trx) =>
          service.revoke(
            trx,
            serviceCtx(c, actor),
            { kind, name: who },
            { id: binding.id, roleId: binding.role_id },
            entity,
          ),
        );
    } catch (error) {
      return renderAccess(c, actor, entity, { _form: grantErrors(error).entities ?? '' });
    }
    setFlash(c, 'success', `Revoked ${who}’s access to ${entity.name}.`);
    return c.redirect(`/entities/${entity.id}/access`, 303);
  });

  return app;
}
