/** Staff directory, add-staff form and a staff member's page. */
import type { FC } from 'hono/jsx';
import { type ActionLink, ActionLinks } from '../../views/action-links.js';
import { CopyField } from '../../views/copy-field.js';
import { EmailAddress } from '../../views/email-address.js';
import { CheckboxGroup, Field, type FieldErrors, Form, FormError } from '../../views/forms.js';
import { Pager } from '../../views/pager.js';
import { SearchBox } from '../../views/search-box.js';
import { DataTable } from '../../views/table.js';
import { PAGE_SIZE } from '../http/search.js';
import { builtInRole, type RoleDefinition } from '../permissions/index.js';
import type { StaffRow } from './queries.js';

export type RoleChoice = { role: RoleDefinition; grantable: boolean };

const roleNames = (ids: string[]) => ids.map((id) => builtInRole(id)?.name ?? id).join(', ');

/** Disabled, else Invited until they choose a password, else Active. */
const statusOf = (u: { disabled: boolean; invited: boolean }) =>
  u.disabled ? 'Disabled' : u.invited ? 'Invited' : 'Active';

/** `showRoles`: roles are Staff - Details, shown only to those who may read details. */
export const StaffTable: FC<{ rows: StaffRow[]; caption: string; showRoles: boolean }> = ({
  rows,
  caption,
  showRoles,
}) => (
  <DataTable
    caption={caption}
    columns={showRoles ? ['Name', 'Email', 'Roles', 'Status'] : ['Name', 'Email', 'Status']}
  >
    <tbody>
      {rows.length === 0 ? (
        <tr>
          <td colspan={showRoles ? 4 : 3}>No staff match.</td>
        </tr>
      ) : (
        rows.map((r) => (
          <tr>
            <td>
              <a href={`/staff/${r.id}`}>
                {r.firstName} {r.lastName}
              </a>
            </td>
            <td>
              <EmailAddress address={r.email} />
            </td>
            {showRoles ? <td>{roleNames(r.roleIds)}</td> : null}
            <td>{statusOf(r)}</td>
          </tr>
        ))
      )}
    </tbody>
  </DataTable>
);

export const StaffResults: FC<{
  rows: StaffRow[];
  q: string;
  page: number;
  total: number;
  showRoles: boolean;
}> = (p) => (
  <div id="staff-results">
    <StaffTable
      rows={p.rows}
      caption={p.q ? `Staff matching “${p.q}”` : 'All staff'}
      showRoles={p.showRoles}
    />
    <Pager basePath="/staff" params={{ q: p.q }} page={p.page} pageSize={PAGE_SIZE} total={p.total} />
  </div>
);

export const StaffListPage: FC<{ q: string; canCreate: boolean; children?: unknown }> = (p) => (
  <section>
    <div class="page-head">
      <h1>Staff</h1>
      {p.canCreate ? (
        <a class="button" href="/staff/new">
          Add staff member
        </a>
      ) : null}
    </div>
    <SearchBox
      action="/staff"
      id="staff-q"
      label="Search staff by name or email"
      q={p.q}
      results="staff-results"
    />
    {p.children}
  </section>
);

/** The administrative roles; each changeable one is also named in `rolesShown` (see RoleChange). */
export const RoleCheckboxes: FC<{ choices: RoleChoice[]; checked: string[]; error?: string | undefined }> = (
  p,
) => (
  <>
    {p.choices
      .filter((c) => c.grantable)
      .map((c) => (
        <input type="hidden" name="rolesShown" value={c.role.id} />
      ))}
    <CheckboxGroup
      name="roles"
      legend="Administrative roles"
      checked={p.checked}
      error={p.error}
      options={p.choices.map(({ role, grantable }) => ({
        value: role.id,
        label: role.name,
        hint: grantable ? role.description : `${role.description} (You cannot give or remove this role.)`,
        disabled: !grantable,
      }))}
    />
  </>
);

export interface NewStaffValues {
  firstName?: string;
  lastName?: string;
  email?: string;
  roles?: string[];
  signIn?: string;
}

export const NewStaffForm: FC<{ values: NewStaffValues; errors: FieldErrors; choices: RoleChoice[] }> = (
  p,
) => (
  <section class="narrow">
    <h1>Add staff member</h1>
    <Form action="/staff">
      <FormError error={p.errors._form} />
      <Field
        name="firstName"
        label="First name"
        value={p.values.firstName}
        error={p.errors.firstName}
        required
      />
      <Field name="lastName" label="Last name" value={p.values.lastName} error={p.errors.lastName} required />
      <Field name="email" label="Email" type="email" value={p.values.email} error={p.errors.email} required />
      <RoleCheckboxes choices={p.choices} checked={p.values.roles ?? []} error={p.errors.roles} />
      <fieldset class="field">
        <legend>How will they sign in the first time?</legend>
        <div class="checkbox">
          <input
            type="radio"
            id="f-signIn-link"
            name="signIn"
            value="link"
            checked={(p.values.signIn ?? 'link') === 'link'}
          />
          <label for="f-signIn-link">Send them an invitation to choose their own password</label>
        </div>
        <div class="checkbox">
          <input
            type="radio"
            id="f-signIn-password"
            name="signIn"
            value="password"
            checked={p.values.signIn === 'password'}
          />
          <label for="f-signIn-password">Set an initial password now</label>
        </div>
      </fieldset>
      <Field
        name="password"
        label="Initial password (only when setting one now)"
        type="password"
        error={p.errors.password}
        autocomplete="new-password"
        hint="At least 12 characters."
      />
      <button type="submit">Add staff member</button>
    </Form>
  </section>
);

export interface ShownLink {
  url: string;
  /** What was emailed with it ("An invitation was emailed to …"), or null when shown only here. */
  sent: string | null;
  /** How long it lasts, in words. */
  lasts: string;
}

export const LinkPanel: FC<{ name: string; link: ShownLink; nonce: string }> = ({ name, link, nonce }) => (
  <div class="panel" role="status">
    {link.sent ? (
      <p>
        {link.sent} If it does not arrive, give {name} the same link yourself. It works once, for {link.lasts}
        , and is not shown again.
      </p>
    ) : (
      <p>
        Give this one-time link to {name}. It works once, for {link.lasts}, and is not shown again.
      </p>
    )}
    <CopyField
      id="password-link"
      label="Set-password link"
      value={link.url}
      button="Copy link"
      nonce={nonce}
    />
  </div>
);

export interface StaffDetailProps {
  user: {
    id: string;
    firstName: string;
    lastName: string;
    email: string;
    disabled: boolean;
    invited: boolean;
  };
  groups: { id: string; name: string }[];
  roleIds: string[];
  choices: RoleChoice[];
  may: { editSummary: boolean; readDetails: boolean; editDetails: boolean; disable: boolean };
  values?: { firstName?: string; lastName?: string; email?: string; roles?: string[] };
  errors: FieldErrors;
  link?: ShownLink | null;
  links?: readonly ActionLink[];
  /** The page's CSP nonce, for the link's Copy button. */
  nonce: string;
}

export const StaffDetail: FC<StaffDetailProps> = (p) => {
  const v = { firstName: p.user.firstName, lastName: p.user.lastName, email: p.user.email, ...p.values };
  const base = `/staff/${p.user.id}`;
  return (
    <section class="narrow">
      <p>
        <a href="/staff">All staff</a>
      </p>
      <h1>
        {p.user.firstName} {p.user.lastName}
      </h1>
      <ActionLinks links={p.links ?? []} />
      <p>
        {p.user.disabled
          ? 'This account is disabled: it cannot sign in.'
          : p.user.invited
            ? 'Invited: they have not chosen a password yet.'
            : 'Active'}
      </p>
      <FormError error={p.errors._form} />
      {p.link ? <LinkPanel name={p.user.firstName} link={p.link} nonce={p.nonce} /> : null}

      <h2>Summary</h2>
      {p.may.editSummary ? (
        <Form action={`${base}/summary`}>
          <Field
            name="firstName"
            label="First name"
            value={v.firstName}
            error={p.errors.firstName}
            required
          />
          <Field name="lastName" label="Last name" value={v.lastName} error={p.errors.lastName} required />
          <Field name="email" label="Email" type="email" value={v.email} error={p.errors.email} required />
          <button type="submit">Save summary</button>
        </Form>
      ) : (
        <dl>
          <dt>Name</dt>
          <dd>
            {p.user.firstName} {p.user.lastName}
          </dd>
          <dt>Email</dt>
          <dd>
            <EmailAddress address={p.user.email} />
          </dd>
        </dl>
      )}

      {p.may.readDetails ? (
        <>
          <h2>Details</h2>
          <p>Groups: {p.groups.length ? p.groups.map((g) => g.name).join(', ') : 'none'}</p>
          {p.may.editDetails ? (
            <Form action={`${base}/roles`}>
              <RoleCheckboxes
                choices={p.choices}
                checked={p.values?.roles ?? p.roleIds}
                error={p.errors.roles}
              />
              <button type="submit">Save roles</button>
            </Form>
          ) : (
            <p>Roles: {roleNames(p.roleIds) || 'none'}</p>
          )}
        </>
      ) : null}

      {p.may.editDetails ? (
        <>
          <h2>Password</h2>
          {p.user.invited && !p.user.disabled ? (
            <form method="post" action={`${base}/invitation`}>
              <p class="hint">
                Emails {p.user.firstName} a new invitation; the link in the earlier one stops working.
              </p>
              <button type="submit">Resend invitation</button>
            </form>
          ) : null}
          <form method="post" action={`${base}/password-link`}>
            <button type="submit" class="secondary">
              Create a one-time set-password link
            </button>
          </form>
          <Form action={`${base}/password`}>
            <Field
              name="password"
              label="New password"
              type="password"
              error={p.errors.password}
              autocomplete="new-password"
              hint="At least 12 characters. Setting it signs them out everywhere."
              required
            />
            <button type="submit">Set password</button>
          </Form>
        </>
      ) : null}

      {p.may.disable ? (
        <>
          <h2>Access</h2>
          <form method="post" action={`${base}/${p.user.disabled ? 'enable' : 'disable'}`}>
            <button type="submit" class={p.user.disabled ? 'secondary' : 'danger'}>
              {p.user.disabled ? 'Enable account' : 'Disable account'}
            </button>
          </form>
        </>
      ) : null}
    </section>
  );
};
