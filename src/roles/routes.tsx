/**
 * /settings/roles: Settings → Security → Role Permissions. Anyone with Organization - Read sees
 * every role and, for the one selected, its letters per object type; Organization - Edit adds,
 * edits and deletes custom roles (the service checks the actor holds what the role carries).
 * Built-in roles have no edit or delete: those routes answer 404 for them, as for an unknown id.
 */
import { type Context, Hono } from 'hono';
import type { FieldErrors } from '../../views/forms.js';
import type { AppDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { list, readForm, text, validate } from '../http/forms.js';
import { page } from '../http/render.js';
import { ruleErrors } from '../http/rule-error.js';
import { serviceCtx } from '../http/service-ctx.js';
import {
  authorize,
  authorizeOrNotFound,
  BUILT_IN_ROLES,
  builtInRole,
  can,
  canGrant,
  countRoleBindings,
  findCustomRole,
  listCustomRoles,
  type RoleDefinition,
} from '../permissions/index.js';
import { roleSchema } from './schema.js';
import * as service from './service.js';
import { RoleForm, RolesPage, type RoleValues } from './views.js';

const valuesOf = (role: RoleDefinition): RoleValues => ({
  name: role.name,
  kind: role.kind,
  permissions: [...role.permissions],
});

export function roleRoutes({ db }: AppDeps): Hono {
  const app = new Hono();

  const allRoles = async () => [...Object.values(BUILT_IN_ROLES), ...(await listCustomRoles(db))];

  const readValues = async (c: Context) => {
    const form = await readForm(c);
    return { name: text(form, 'name'), kind: text(form, 'kind'), permissions: list(form, 'permissions') };
  };

  const renderForm = async (
    c: Context,
    values: RoleValues,
    errors: FieldErrors,
    role?: RoleDefinition,
    status: 200 | 422 = 200,
  ) => {
    const editing = role
      ? {
          id: role.id,
          name: role.name,
          bindings: await countRoleBindings(db, role.id),
          deleteError: errors.confirm,
        }
      : undefined;
    return page(
      c,
      role ? `Edit ${role.name}` : 'Add custom role',
      <RoleForm values={values} errors={errors} {...(editing ? { editing } : {})} />,
      status,
    );
  };

  app.get('/settings/roles', async (c) => {
    const actor = authorize(c, 'organization:R');
    return page(
      c,
      'Role Permissions',
      <RolesPage roles={await allRoles()} selected={null} canCreate={can(actor, 'organization:E')} />,
    );
  });

  app.get('/settings/roles/new', (c) => {
    authorize(c, 'organization:E');
    return renderForm(c, { kind: 'staff', permissions: [] }, {});
  });

  app.post('/settings/roles', async (c) => {
    const actor = authorize(c, 'organization:E');
    const values = await readValues(c);
    const parsed = validate(roleSchema, values);
    if (!parsed.ok) return renderForm(c, values, parsed.errors, undefined, 422);
    try {
      const id = await db
        .transaction()
        .execute((trx) => service.createRole(trx, serviceCtx(c, actor), parsed.value));
      setFlash(c, 'success', `Role “${parsed.value.name}” added.`);
      return c.redirect(`/settings/roles/${id}`, 303);
    } catch (error) {
      return renderForm(c, values, ruleErrors(error), undefined, 422);
    }
  });

  app.get('/settings/roles/:id', async (c) => {
    const actor = authorizeOrNotFound(c, 'organization:R');
    const id = c.req.param('id');
    const role = builtInRole(id) ?? (await findCustomRole(db, id));
    if (!role) return c.notFound();
    const editor = !role.builtIn && can(actor, 'organization:E');
    const holds = canGrant(actor, role.permissions);
    return page(
      c,
      `${role.name} · Role Permissions`,
      <RolesPage
        roles={await allRoles()}
        selected={{ role, may: { edit: editor && holds, lacksPermissions: editor && !holds } }}
        canCreate={can(actor, 'organization:E')}
      />,
    );
  });

  /** The custom role to change, when the caller may change roles; null for built-in or unknown ids. */
  async function loadCustom(c: Context) {
    const actor = authorizeOrNotFound(c, 'organization:E');
    const role = await findCustomRole(db, c.req.param('id') ?? '');
    return role ? { actor, role } : null;
  }

  app.get('/settings/roles/:id/edit', async (c) => {
    const found = await loadCustom(c);
    if (!found) return c.notFound();
    return renderForm(c, valuesOf(found.role), {}, found.role);
  });

  app.post('/settings/roles/:id', async (c) => {
    const found = await loadCustom(c);
    if (!found) return c.notFound();
    const { actor, role } = found;
    const values = await readValues(c);
    const parsed = validate(roleSchema, values);
    if (!parsed.ok) return renderForm(c, values, parsed.errors, role, 422);
    try {
      await db
        .transaction()
        .execute((trx) => service.updateRole(trx, serviceCtx(c, actor), role.id, parsed.value));
    } catch (error) {
      return renderForm(c, values, ruleErrors(error), role, 422);
    }
    setFlash(c, 'success', `Role “${parsed.value.name}” saved.`);
    return c.redirect(`/settings/roles/${role.id}`, 303);
  });

  app.post('/settings/roles/:id/delete', async (c) => {
    const found = await loadCustom(c);
    if (!found) return c.notFound();
    const { actor, role } = found;
    if (text(await readForm(c), 'confirm') !== 'yes') {
      const errors = { confirm: `Tick the box to confirm that the ${role.name} role should be deleted.` };
      return renderForm(c, valuesOf(role), errors, role, 422);
    }
    try {
      await db.transaction().execute((trx) => service.deleteRole(trx, serviceCtx(c, actor), role.id));
    } catch (error) {
      return renderForm(c, valuesOf(role), ruleErrors(error), role, 422);
    }
    setFlash(c, 'success', `Role “${role.name}” deleted.`);
    return c.redirect('/settings/roles', 303);
  });

  return app;
}
