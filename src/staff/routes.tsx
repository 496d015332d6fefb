/**
 * /staff: the staff directory, adding staff (with an initial password, or emailed an invitation to
 * choose one), and one staff member's page (summary, roles, password, invitation, access). Each
 * handler: parse → authorize → act in a transaction → render. A new set-password link is shown
 * once on the page that answers (the fallback when an email does not arrive), never stored.
 */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import type { FieldErrors } from '../../views/forms.js';
import { duration, emailRequestWait, hashPassword, passwordProblem, setPasswordPath } from '../auth/index.js';
import type { RouteDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { fields, list, query, readForm, roleChange, text, validate } from '../http/forms.js';
import { page, pageOrFragment } from '../http/render.js';
import { ruleErrors } from '../http/rule-error.js';
import { pageNumber } from '../http/search.js';
import { serviceCtx } from '../http/service-ctx.js';
import { DEFAULT_LINKS } from '../kernel/config.js';
import { sentTo } from '../mail/transport.js';
import { groupsOf } from '../people/index.js';
import {
  type Actor,
  administrativeRoleChoices,
  authorize,
  authorizeOrNotFound,
  can,
  policyFor,
  systemRoleIds,
} from '../permissions/index.js';
import { findStaff, listStaff } from './queries.js';
import * as service from './service.js';
import {
  NewStaffForm,
  type NewStaffValues,
  StaffDetail,
  type StaffDetailProps,
  StaffListPage,
  StaffResults,
} from './views.js';

const summarySchema = v.object({
  firstName: fields.name('first name'),
  lastName: fields.name('last name'),
  email: fields.email(),
});

export function staffRoutes({ db, config, host }: RouteDeps): Hono {
  const app = new Hono();
  const ttlMs = (config.links ?? DEFAULT_LINKS).invitationMs;
  const linkTo = (token: string) => `${config.baseUrl}${setPasswordPath(token)}`;
  const site = (c: Context) => ({
    firmName: c.get('organization')?.name ?? 'Portico',
    baseUrl: config.baseUrl,
    ttlMs,
  });

  app.get('/staff', async (c) => {
    const actor = authorize(c, 'staff.summary:R');
    const q = (query(c, 'q') ?? '').slice(0, 100);
    const pageNo = pageNumber(query(c, 'page'));
    const showRoles = can(actor, 'staff.details:R');
    const { rows, total } = await listStaff(db, { q, page: pageNo, roles: showRoles });
    const results = <StaffResults rows={rows} q={q} page={pageNo} total={total ?? 0} showRoles={showRoles} />;
    return pageOrFragment(c, 'Staff', results, (r) => (
      <StaffListPage q={q} canCreate={can(actor, 'staff:C')}>
        {r}
      </StaffListPage>
    ));
  });

  app.get('/staff/new', (c) => {
    const actor = authorize(c, 'staff:C');
    return page(
      c,
      'Add staff member',
      <NewStaffForm values={{}} errors={{}} choices={administrativeRoleChoices(actor)} />,
    );
  });

  app.post('/staff', async (c) => {
    const actor = authorize(c, 'staff:C');
    const form = await readForm(c);
    const values: NewStaffValues = {
      firstName: text(form, 'firstName'),
      lastName: text(form, 'lastName'),
      email: text(form, 'email'),
      roles: list(form, 'roles'),
      signIn: text(form, 'signIn') === 'password' ? 'password' : 'link',
    };
    const again = (errors: FieldErrors) =>
      page(
        c,
        'Add staff member',
        <NewStaffForm values={values} errors={errors} choices={administrativeRoleChoices(actor)} />,
        422,
      );
    const parsed = validate(summarySchema, values);
    const password = text(form, 'password');
    const pwProblem = values.signIn === 'password' ? passwordProblem(password) : null;
    if (!parsed.ok || pwProblem)
      return again({ ...(parsed.ok ? {} : parsed.errors), ...(pwProblem ? { password: pwProblem } : {}) });
    const passwordHash = values.signIn === 'password' ? await hashPassword(password) : null;
    try {
      const { userId, link } = await db
        .transaction()
        .execute((trx) =>
          service.createStaff(
            trx,
            serviceCtx(c, actor),
            { ...parsed.value, roles: roleChange(form), passwordHash },
            site(c),
          ),
        );
      if (link)
        return renderDetail(c, actor, userId, {
          link: linkTo(link),
          sent: `${parsed.value.firstName} ${parsed.value.lastName} was added, and an invitation was ${sentTo(config, parsed.value.email)}.`,
        });
      setFlash(c, 'success', `${parsed.value.firstName} ${parsed.value.lastName} was added.`);
      return c.redirect(`/staff/${userId}`, 303);
    } catch (error) {
      return again(ruleErrors(error));
    }
  });

  async function renderDetail(
    c: Context,
    actor: Actor,
    id: string,
    extra: {
      errors?: FieldErrors;
      values?: StaffDetailProps['values'];
      link?: string;
      /** What was emailed with the link, said above it. */
      sent?: string;
    } = {},
    status: 200 | 422 | 429 = 200,
  ) {
    const user = await findStaff(db, id);
    if (!user) return c.notFound();
    const [groups, roleIds] = await Promise.all([groupsOf(db, id), systemRoleIds(db, { userId: id })]);
    return page(
      c,
      `${user.first_name} ${user.last_name}`,
      <StaffDetail
        user={{
          id,
          firstName: user.first_name,
          lastName: user.last_name,
          email: user.email,
          disabled: user.disabled_at !== null,
          invited: service.isInvited(user),
        }}
        groups={groups}
        roleIds={roleIds}
        choices={administrativeRoleChoices(actor)}
        links={await host.slots.list('staff.links', { actor, href: `/staff/${id}`, words: wordsFor(c) })}
        may={policyFor(actor, { type: 'staff' })}
        values={extra.values}
        errors={extra.errors ?? {}}
        link={extra.link ? { url: extra.link, sent: extra.sent ?? null, lasts: duration(ttlMs) } : null}
        nonce={c.get('nonce')}
      />,
      status,
    );
  }

  app.get('/staff/:id', async (c) => {
    const actor = authorizeOrNotFound(c, 'staff.summary:R');
    return renderDetail(c, actor, c.req.param('id'));
  });

  /** Loads the staff member for a POST, or answers 404 exactly as for an unknown id. */
  async function load(c: Context) {
    const user = await findStaff(db, c.req.param('id') ?? '');
    return user ?? null;
  }

  app.post('/staff/:id/summary', async (c) => {
    const actor = authorizeOrNotFound(c, 'staff.summary:E');
    const user = await load(c);
    if (!user) return c.notFound();
    const form = await readForm(c);
    const values = {
      firstName: text(form, 'firstName'),
      lastName: text(form, 'lastName'),
      email: text(form, 'email'),
    };
    const parsed = validate(summarySchema, values);
    if (!parsed.ok) return renderDetail(c, actor, user.id, { errors: parsed.errors, values }, 422);
    try {
      await db
        .transaction()
        .execute((trx) => service.updateSummary(trx, serviceCtx(c, actor), user, parsed.value));
    } catch (error) {
      return renderDetail(c, actor, user.id, { errors: ruleErrors(error), values }, 422);
    }
    setFlash(c, 'success', 'Summary saved.');
    return c.redirect(`/staff/${user.id}`, 303);
  });

  app.post('/staff/:id/roles', async (c) => {
    const actor = authorizeOrNotFound(c, 'staff.details:E');
    const user = await load(c);
    if (!user) return c.notFound();
    const change = roleChange(await readForm(c));
    try {
      await db.transaction().execute((trx) => service.updateRoles(trx, serviceCtx(c, actor), user, change));
    } catch (error) {
      // Nothing changed: show the roles as saved, with the reason beside them.
      return renderDetail(c, actor, user.id, { errors: ruleErrors(error) }, 422);
    }
    setFlash(c, 'success', 'Roles saved.');
    return c.redirect(`/staff/${user.id}`, 303);
  });

  for (const action of ['disable', 'enable'] as const) {
    app.post(`/staff/:id/${action}`, async (c) => {
      const actor = authorizeOrNotFound(c, 'staff:D');
      const user = await load(c);
      if (!user) return c.notFound();
      try {
        await db
          .transaction()
          .execute((trx) => service.setDisabled(trx, serviceCtx(c, actor), user, action === 'disable'));
      } catch (error) {
        return renderDetail(c, actor, user.id, { errors: ruleErrors(error) }, 422);
      }
      setFlash(
        c,
        'success',
        action === 'disable' ? 'Account disabled and signed out everywhere.' : 'Account enabled.',
      );
      return c.redirect(`/staff/${user.id}`, 303);
    });
  }

  app.post('/staff/:id/password', async (c) => {
    const actor = authorizeOrNotFound(c, 'staff.details:E');
    const user = await load(c);
    if (!user) return c.notFound();
    const password = text(await readForm(c), 'password');
    const problem = passwordProblem(password);
    if (problem) return renderDetail(c, actor, user.id, { errors: { password: problem } }, 422);
    const passwordHash = await hashPassword(password);
    try {
      await db
        .transaction()
        .execute((trx) => service.adminSetPassword(trx, serviceCtx(c, actor), user, passwordHash));
    } catch (error) {
      return renderDetail(c, actor, user.id, { errors: ruleErrors(error) }, 422);
    }
    setFlash(c, 'success', 'Password set. They were signed out everywhere.');
    return c.redirect(`/staff/${user.id}`, 303);
  });

  app.post('/staff/:id/password-link', async (c) => {
    const actor = authorizeOrNotFound(c, 'staff.details:E');
    const user = await load(c);
    if (!user) return c.notFound();
    try {
      const token = await db
        .transaction()
        .execute((trx) => service.createLink(trx, serviceCtx(c, actor), user, ttlMs));
      return renderDetail(c, actor, user.id, { link: linkTo(token) });
    } catch (error) {
      return renderDetail(c, actor, user.id, { errors: ruleErrors(error) }, 422);
    }
  });

  // Guarded as the set-password link is (it makes one), and limited per staff member: an Admin
  // clicking on is not to fill someone's mailbox.
  app.post('/staff/:id/invitation', async (c) => {
    const actor = authorizeOrNotFound(c, 'staff.details:E');
    const user = await load(c);
    if (!user) return c.notFound();
    const ctx = serviceCtx(c, actor);
    try {
      const outcome = await db.transaction().execute(async (trx) => {
        await service.assertMayResendInvitation(trx, ctx, user);
        // Counted in the transaction, after the rules: a refused or rolled-back resend costs nothing.
        const wait = await emailRequestWait(trx, c, 'invitation', `user:${user.id}`, { perClient: false });
        if (wait.seconds > 0) return { wait: wait.words };
        return { token: await service.resendInvitation(trx, ctx, user, site(c)) };
      });
      if ('wait' in outcome) {
        const error = `Too many invitations to ${user.first_name} ${user.last_name} just now. Wait ${outcome.wait}, then try again.`;
        return renderDetail(c, actor, user.id, { errors: { _form: error } }, 429);
      }
      return renderDetail(c, actor, user.id, {
        link: linkTo(outcome.token),
        sent: `A new invitation was ${sentTo(config, user.email)}; the link in the earlier one no longer works.`,
      });
    } catch (error) {
      return renderDetail(c, actor, user.id, { errors: ruleErrors(error) }, 422);
    }
  });

  return app;
}
