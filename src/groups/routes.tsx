/** /groups: staff groups with members and roles. */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import type { FieldErrors } from '../../views/forms.js';
import type { RouteDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { fields, list, readForm, roleChange, text, validate } from '../http/forms.js';
import { page } from '../http/render.js';
import { RuleError, ruleErrors } from '../http/rule-error.js';
import { serviceCtx } from '../http/service-ctx.js';
import {
  type Actor,
  administrativeRoleChoices,
  authorize,
  authorizeOrNotFound,
  can,
  type RoleChange,
  systemRoleIds,
} from '../permissions/index.js';
import { allStaff, findGroup, listGroups, memberIds } from './queries.js';
import * as service from './service.js';
import { GroupForm, GroupList, type GroupValues } from './views.js';

const groupSchema = v.object({
  name: fields.name('group name'),
  description: fields.optionalText('description'),
});

export function groupRoutes({ db, host }: RouteDeps): Hono {
  const app = new Hono();

  const readValues = async (c: Context): Promise<{ values: GroupValues; roles: RoleChange }> => {
    const form = await readForm(c);
    const roles = roleChange(form);
    return {
      values: {
        name: text(form, 'name'),
        description: text(form, 'description'),
        members: list(form, 'members'),
        roles: roles.requested,
      },
      roles,
    };
  };

  const renderForm = async (
    c: Context,
    actor: Actor,
    opts: { groupId?: string; values: GroupValues; errors: FieldErrors },
    status: 200 | 422 = 200,
  ) => {
    const editing = opts.groupId !== undefined;
    return page(
      c,
      editing ? opts.values.name || 'Staff group' : 'New staff group',
      <GroupForm
        action={editing ? `/groups/${opts.groupId}` : '/groups'}
        title={editing ? `Staff group: ${opts.values.name}` : 'New staff group'}
        values={opts.values}
        errors={opts.errors}
        staff={await allStaff(db)}
        choices={administrativeRoleChoices(actor)}
        canEdit={editing ? can(actor, 'staffGroup:E') : true}
        deleteAction={editing && can(actor, 'staffGroup:D') ? `/groups/${opts.groupId}/delete` : undefined}
        links={
          editing
            ? await host.slots.list('group.links', {
                actor,
                href: `/groups/${opts.groupId}`,
                words: wordsFor(c),
              })
            : []
        }
      />,
      status,
    );
  };

  app.get('/groups', async (c) => {
    const actor = authorize(c, 'staff.details:R');
    return page(
      c,
      'Staff groups',
      <GroupList
        kind="staff"
        groups={await listGroups(db, 'staff')}
        canCreate={can(actor, 'staffGroup:C')}
      />,
    );
  });

  app.get('/groups/new', (c) => renderForm(c, authorize(c, 'staffGroup:C'), { values: {}, errors: {} }));

  app.post('/groups', async (c) => {
    const actor = authorize(c, 'staffGroup:C');
    const { values, roles } = await readValues(c);
    const parsed = validate(groupSchema, values);
    if (!parsed.ok) return renderForm(c, actor, { values, errors: parsed.errors }, 422);
    try {
      const id = await db.transaction().execute((trx) =>
        service.createGroup(trx, serviceCtx(c, actor), 'staff', {
          ...parsed.value,
          memberIds: values.members ?? [],
          membersShown: null,
          roles,
          visible: null,
        }),
      );
      setFlash(c, 'success', `Staff group “${parsed.value.name}” created.`);
      return c.redirect(`/groups/${id}`, 303);
    } catch (error) {
      return renderForm(c, actor, { values, errors: ruleErrors(error) }, 422);
    }
  });

  app.get('/groups/:id', async (c) => {
    const actor = authorizeOrNotFound(c, 'staff.details:R');
    const group = await findGroup(db, c.req.param('id'), 'staff');
    if (!group) return c.notFound();
    const roles = await systemRoleIds(db, { groupId: group.id });
    return renderForm(c, actor, {
      groupId: group.id,
      values: {
        name: group.name,
        description: group.description,
        members: await memberIds(db, group.id),
        roles,
      },
      errors: {},
    });
  });

  app.post('/groups/:id', async (c) => {
    const actor = authorizeOrNotFound(c, 'staffGroup:E');
    const group = await findGroup(db, c.req.param('id'), 'staff');
    if (!group) return c.notFound();
    const { values, roles } = await readValues(c);
    const parsed = validate(groupSchema, values);
    if (!parsed.ok) return renderForm(c, actor, { groupId: group.id, values, errors: parsed.errors }, 422);
    try {
      await db.transaction().execute((trx) =>
        service.updateGroup(trx, serviceCtx(c, actor), group, {
          ...parsed.value,
          memberIds: values.members ?? [],
          membersShown: null,
          roles,
          visible: null,
        }),
      );
    } catch (error) {
      return renderForm(c, actor, { groupId: group.id, values, errors: ruleErrors(error) }, 422);
    }
    setFlash(c, 'success', 'Staff group saved.');
    return c.redirect(`/groups/${group.id}`, 303);
  });

  app.post('/groups/:id/delete', async (c) => {
    const actor = authorizeOrNotFound(c, 'staffGroup:D');
    const group = await findGroup(db, c.req.param('id'), 'staff');
    if (!group) return c.notFound();
    const confirmed = text(await readForm(c), 'confirm') === 'yes';
    try {
      if (!confirmed)
        throw new RuleError('confirm', `Tick the box to confirm that “${group.name}” should be deleted.`);
      await db.transaction().execute((trx) => service.deleteGroup(trx, serviceCtx(c, actor), group));
    } catch (error) {
      const [members, roles] = await Promise.all([
        memberIds(db, group.id),
        systemRoleIds(db, { groupId: group.id }),
      ]);
      return renderForm(
        c,
        actor,
        {
          groupId: group.id,
          values: { name: group.name, description: group.description, members, roles },
          errors: ruleErrors(error),
        },
        422,
      );
    }
    setFlash(c, 'success', `Staff group “${group.name}” deleted.`);
    return c.redirect('/groups', 303);
  });

  return app;
}
