/**
 * /contact-groups: groups of contacts (the seed's "To create a contact group"). Members are found
 * by search and only among the contacts the caller may see; members the caller cannot see are
 * neither shown nor touched by a save.
 */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import type { FieldErrors } from '../../views/forms.js';
import type { Group } from '../db/schema.js';
import type { RouteDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { fields, list, query, readForm, text, validate } from '../http/forms.js';
import { page } from '../http/render.js';
import { RuleError, ruleErrors } from '../http/rule-error.js';
import { serviceCtx } from '../http/service-ctx.js';
import {
  type Actor,
  authorize,
  can,
  canAnywhere,
  Forbidden,
  NotFound,
  requireStaff,
  visibleContacts,
} from '../permissions/index.js';
import { ContactGroupForm, type ContactGroupValues } from './contact-views.js';
import { contactChoices, findGroup, listGroups, memberIds } from './queries.js';
import * as service from './service.js';
import { GroupList } from './views.js';

const groupSchema = v.object({
  name: fields.name('group name'),
  description: fields.optionalText('description'),
});

export function contactGroupRoutes({ db, host }: RouteDeps): Hono {
  const app = new Hono();
  const visible = (actor: Actor) => visibleContacts(db, actor, 'contact.summary:R', 'cp.client_entity_id');

  /** Staff who may see contacts somewhere may see contact groups (and, in them, those contacts). */
  const mayView = (c: Context) => {
    const actor = requireStaff(c);
    return canAnywhere(actor, 'contact.summary:R') ? actor : null;
  };

  const renderForm = async (
    c: Context,
    actor: Actor,
    opts: { group?: Group; values: ContactGroupValues; errors: FieldErrors; q?: string },
    status: 200 | 422 = 200,
  ) => {
    const group = opts.group;
    const q = (opts.q ?? '').slice(0, 100);
    return page(
      c,
      group ? opts.values.name || 'Contact group' : 'New contact group',
      <ContactGroupForm
        action={group ? `/contact-groups/${group.id}` : '/contact-groups'}
        title={group ? `Contact group: ${group.name}` : 'New contact group'}
        values={opts.values}
        errors={opts.errors}
        q={q}
        choices={await contactChoices(db, visible(actor), opts.values.members ?? [], q)}
        canEdit={group ? can(actor, 'contactGroup:E') : true}
        deleteAction={
          group && can(actor, 'contactGroup:D') ? `/contact-groups/${group.id}/delete` : undefined
        }
        links={
          group
            ? await host.slots.list('group.links', {
                actor,
                href: `/contact-groups/${group.id}`,
                words: wordsFor(c),
              })
            : []
        }
      />,
      status,
    );
  };

  /** The form as the "Find contacts" button sent it (by GET), or null for a plain visit. */
  const searched = (c: Context): { values: ContactGroupValues; q: string } | null =>
    query(c, 'search') === '1'
      ? {
          values: {
            name: query(c, 'name') ?? '',
            description: query(c, 'description') ?? '',
            members: c.req.queries('members') ?? [],
          },
          q: query(c, 'q') ?? '',
        }
      : null;

  app.get('/contact-groups', async (c) => {
    const actor = mayView(c);
    if (!actor) throw new Forbidden();
    return page(
      c,
      'Contact groups',
      <GroupList
        kind="contact"
        groups={await listGroups(db, 'contact')}
        canCreate={can(actor, 'contactGroup:C')}
      />,
    );
  });

  app.get('/contact-groups/new', (c) => {
    const actor = authorize(c, 'contactGroup:C');
    return renderForm(c, actor, { values: {}, errors: {}, ...searched(c) });
  });

  const readValues = async (c: Context) => {
    const form = await readForm(c);
    return {
      values: {
        name: text(form, 'name'),
        description: text(form, 'description'),
        members: list(form, 'members'),
      },
      shown: list(form, 'membersShown'),
    };
  };

  app.post('/contact-groups', async (c) => {
    const actor = authorize(c, 'contactGroup:C');
    const { values, shown } = await readValues(c);
    const parsed = validate(groupSchema, values);
    if (!parsed.ok) return renderForm(c, actor, { values, errors: parsed.errors }, 422);
    try {
      const id = await db.transaction().execute((trx) =>
        service.createGroup(trx, serviceCtx(c, actor), 'contact', {
          ...parsed.value,
          memberIds: values.members,
          membersShown: shown,
          roles: null,
          visible: visible(actor),
        }),
      );
      setFlash(c, 'success', `Contact group “${parsed.value.name}” created.`);
      return c.redirect(`/contact-groups/${id}`, 303);
    } catch (error) {
      return renderForm(c, actor, { values, errors: ruleErrors(error) }, 422);
    }
  });

  /** The group, when the caller may see contact groups; otherwise exactly what a missing id gets. */
  async function load(c: Context): Promise<{ actor: Actor; group: Group }> {
    const actor = mayView(c);
    const group = actor ? await findGroup(db, c.req.param('id') ?? '', 'contact') : undefined;
    if (!actor || !group) throw new NotFound();
    return { actor, group };
  }

  const stored = async (group: Group): Promise<ContactGroupValues> => ({
    name: group.name,
    description: group.description,
    members: await memberIds(db, group.id),
  });

  app.get('/contact-groups/:id', async (c) => {
    const { actor, group } = await load(c);
    return renderForm(c, actor, { group, values: await stored(group), errors: {}, ...searched(c) });
  });

  app.post('/contact-groups/:id', async (c) => {
    const { actor, group } = await load(c);
    authorize(c, 'contactGroup:E');
    const { values, shown } = await readValues(c);
    const parsed = validate(groupSchema, values);
    if (!parsed.ok) return renderForm(c, actor, { group, values, errors: parsed.errors }, 422);
    try {
      await db.transaction().execute((trx) =>
        service.updateGroup(trx, serviceCtx(c, actor), group, {
          ...parsed.value,
          memberIds: values.members,
          membersShown: shown,
          roles: null,
          visible: visible(actor),
        }),
      );
    } catch (error) {
      return renderForm(c, actor, { group, values, errors: ruleErrors(error) }, 422);
    }
    setFlash(c, 'success', 'Contact group saved.');
    return c.redirect(`/contact-groups/${group.id}`, 303);
  });

  app.post('/contact-groups/:id/delete', async (c) => {
    const { actor, group } = await load(c);
    authorize(c, 'contactGroup:D');
    const confirmed = text(await readForm(c), 'confirm') === 'yes';
    try {
      if (!confirmed)
        throw new RuleError('confirm', `Tick the box to confirm that “${group.name}” should be deleted.`);
      await db.transaction().execute((trx) => service.deleteGroup(trx, serviceCtx(c, actor), group));
    } catch (error) {
      return renderForm(c, actor, { group, values: await stored(group), errors: ruleErrors(error) }, 422);
    }
    setFlash(c, 'success', `Contact group “${group.name}” deleted.`);
    return c.redirect('/contact-groups', 303);
  });

  return app;
}
