/**
 * /entities/:id/access, the People and access tab of an entity's workspace, for those who may
 * share it: who can see it (every role behind access, to people and groups, at the entity, its
 * portal or for every entity), revoking one given at the entity, what other features add here
 * (the slot 'entity.access'), giving someone access by email, and "Why can this person see it?"
 * through `explain`. A person the viewer could not otherwise see is never named: not found and not
 * visible read the same.
 */

import { type Context, Hono } from 'hono';
import type { FieldErrors } from '../../views/forms.js';
import { toldMessage } from '../client-portal/index.js';
import type { UserKind } from '../db/schema.js';
import { entityWorkspace, findEntity } from '../entities/index.js';
import type { RouteDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { query, readForm, text } from '../http/forms.js';
import { ruleErrors } from '../http/rule-error.js';
import { serviceCtx } from '../http/service-ctx.js';
import { DEFAULT_LINKS } from '../kernel/config.js';
import { knownPersonWithEmail } from '../people/index.js';
import {
  type Actor,
  accessToEntity,
  entityBinding,
  entityChain,
  entityRoleChoices,
  explain,
  loadActor,
  mayShareEntity,
  NotFound,
  type Principal,
  requireStaff,
} from '../permissions/index.js';
import { bindingRows } from './rows.js';
import * as service from './service.js';
import { type AccessPageProps, AccessPanel } from './views.js';

type Entity = NonNullable<Awaited<ReturnType<typeof findEntity>>>;

export function entityAccessRoutes({ db, config, host }: RouteDeps): Hono {
  const app = new Hono();
  const invitationMs = (config.links ?? DEFAULT_LINKS).invitationMs;

  /** The entity, when the caller may see it and share it; otherwise exactly what a missing id gets. */
  async function load(c: Context): Promise<{ actor: Actor; entity: Entity }> {
    const actor = requireStaff(c);
    const id = c.req.param('id') ?? '';
    const entity = mayShareEntity(actor, id) ? await findEntity(db, id) : undefined;
    if (!entity) throw new NotFound();
    return { actor, entity };
  }

  async function render(
    c: Context,
    actor: Actor,
    entity: Entity,
    form: { email?: string; role?: string | undefined; errors?: FieldErrors } = {},
  ) {
    const email = (query(c, 'person') ?? '').slice(0, 254);
    const w = wordsFor(c);
    let check: AccessPageProps['check'] = null;
    if (email) {
      const person = await knownPersonWithEmail(db, actor, email);
      // A disabled account cannot sign in, so it sees nothing, whatever roles it keeps.
      const disabled = person?.disabled_at != null;
      const reasons =
        person && !disabled
          ? explain(await loadActor(db, person), 'entity.summary:R', entityChain(entity.id))
          : [];
      check = person
        ? {
            name: `${person.first_name} ${person.last_name}`,
            disabled,
            reasons: await bindingRows(db, actor, reasons, person.kind, true),
          }
        : { none: `No one you can look up here has the email address ${email}.` };
    }
    const [rows, staffRoles, contactRoles, panels] = await Promise.all([
      accessToEntity(db, entity.id, 'entity.summary:R'),
      entityRoleChoices(db, 'staff'),
      entityRoleChoices(db, 'contact'),
      host.slots.fill('entity.access', { actor, entity }),
    ]);
    const errors = form.errors ?? {};
    const body = (
      <AccessPanel
        words={w}
        entity={entity}
        rows={rows}
        check={check}
        checkEmail={email}
        share={{ staffRoles, contactRoles, email: form.email ?? '', role: form.role }}
        errors={errors}
        panels={panels}
      />
    );
    const status = Object.keys(errors).length ? 422 : 200;
    return entityWorkspace(c, { actor, entity, tab: 'access', title: 'People and access', body, status });
  }

  app.get('/entities/:id/access', async (c) => {
    const { actor, entity } = await load(c);
    return render(c, actor, entity);
  });

  app.post('/entities/:id/access', async (c) => {
    const { actor, entity } = await load(c);
    const form = await readForm(c);
    const email = text(form, 'email').trim();
    const role = text(form, 'role');
    const again = (errors: FieldErrors) => render(c, actor, entity, { email, role, errors });
    const person = email ? await knownPersonWithEmail(db, actor, email) : null;
    const errors: FieldErrors = {};
    if (!person)
      errors.email = email
        ? 'No one you can give access here has this email address.'
        : 'Enter the email address of the person to give access.';
    if (!role) errors.role = 'Choose the role to give.';
    if (!person || !role) return again(errors);
    const principal: Principal = { userId: person.id };
    const name = `${person.first_name} ${person.last_name}`;
    const site = {
      firmName: c.get('organization')?.name ?? 'Portico',
      baseUrl: config.baseUrl,
      invitationMs,
    };
    try {
      const done = await db
        .transaction()
        .execute((trx) =>
          service.grant(
            trx,
            serviceCtx(c, actor),
            { principal, kind: person.kind, name },
            role,
            [{ scope: { type: 'entity', id: entity.id }, name: entity.name }],
            { site, words: wordsFor(c) },
          ),
        );
      setFlash(
        c,
        'success',
        [`${name} now has ${done.role.name} at ${entity.name}.`, ...toldMessage(config, done.told)].join(' '),
      );
    } catch (error) {
      const found = ruleErrors(error);
      // A role of the other kind is not "one of the roles listed" for this person: say which kind.
      if (found.role)
        found.role = `Choose a role for ${person.kind === 'staff' ? 'staff' : 'contacts'}: ${name} is ${person.kind === 'staff' ? 'a staff member' : 'a contact'}.`;
      return again({ ...found, ...(found.entities ? { _form: found.entities } : {}) });
    }
    return c.redirect(`/entities/${entity.id}/access`, 303);
  });

  app.post('/entities/:id/access/revoke', async (c) => {
    const { actor, entity } = await load(c);
    const bindingId = text(await readForm(c), 'binding');
    const binding = await entityBinding(db, entity.id, bindingId);
    if (!binding) throw new NotFound();
    const kind: UserKind = binding.user_kind ?? binding.group_kind ?? 'staff';
    const principal: Principal = binding.user_id
      ? { userId: binding.user_id }
      : { groupId: binding.group_id ?? '' };
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
            { principal, kind, name: who },
            { id: binding.id, roleId: binding.role_id },
            { scope: { type: 'entity', id: entity.id }, name: entity.name },
          ),
        );
    } catch (error) {
      const [message = ''] = Object.values(ruleErrors(error));
      return render(c, actor, entity, { errors: { _form: message } });
    }
    setFlash(c, 'success', `Revoked ${who}’s access to ${entity.name}.`);
    return c.redirect(`/entities/${entity.id}/access`, 303);
  });

  return app;
}
