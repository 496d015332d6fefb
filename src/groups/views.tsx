/** Staff group list and the group form (name, description, members, roles). */
import type { FC } from 'hono/jsx';
import { type ActionLink, ActionLinks } from '../../views/action-links.js';
import { ConfirmDelete } from '../../views/confirm-delete.js';
import { CheckboxGroup, Field, type FieldErrors, Form, FormError, TextArea } from '../../views/forms.js';
import { DataTable } from '../../views/table.js';
import { builtInRole } from '../permissions/index.js';
import { RoleCheckboxes, type RoleChoice } from '../staff/index.js';
import type { GroupRow } from './queries.js';

/** Where each kind of group lives and what it is called. */
export const GROUP_PAGES = {
  staff: { base: '/groups', many: 'Staff groups', one: 'staff group' },
  contact: { base: '/contact-groups', many: 'Contact groups', one: 'contact group' },
} as const;

export const GroupList: FC<{ groups: GroupRow[]; canCreate: boolean; kind: keyof typeof GROUP_PAGES }> = ({
  groups,
  canCreate,
  kind,
}) => {
  const where = GROUP_PAGES[kind];
  const withRoles = kind === 'staff';
  return (
    <section>
      <div class="page-head">
        <h1>{where.many}</h1>
        {canCreate ? (
          <a class="button" href={`${where.base}/new`}>
            New {where.one}
          </a>
        ) : null}
      </div>
      <DataTable caption={where.many} columns={['Name', 'Members', withRoles ? 'Roles' : 'Description']}>
        <tbody>
          {groups.length === 0 ? (
            <tr>
              <td colspan={3}>No {where.many.toLowerCase()} yet.</td>
            </tr>
          ) : (
            groups.map((g) => (
              <tr>
                <td>
                  <a href={`${where.base}/${g.id}`}>{g.name}</a>
                </td>
                <td>{g.members}</td>
                <td>
                  {withRoles ? g.roleIds.map((id) => builtInRole(id)?.name ?? id).join(', ') : g.description}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </DataTable>
    </section>
  );
};

/** A group's name, description and the members to tick: the same for staff and contact groups. */
export const GroupFields: FC<{
  values: { name?: string; description?: string; members?: string[] };
  errors: FieldErrors;
  members: { value: string; label: string; hint: string }[];
}> = (p) => (
  <>
    <Field name="name" label="Group name" value={p.values.name} error={p.errors.name} required />
    <TextArea
      name="description"
      label="Description"
      value={p.values.description}
      error={p.errors.description}
    />
    <CheckboxGroup
      name="members"
      legend="Members"
      checked={p.values.members ?? []}
      error={p.errors.members}
      options={p.members}
    />
  </>
);

export interface GroupValues {
  name?: string;
  description?: string;
  members?: string[];
  roles?: string[];
}

export const GroupForm: FC<{
  action: string;
  title: string;
  values: GroupValues;
  errors: FieldErrors;
  staff: { id: string; first_name: string; last_name: string; email: string; disabled_at: number | null }[];
  choices: RoleChoice[];
  canEdit: boolean;
  deleteAction?: string | undefined;
  links?: readonly ActionLink[];
}> = (p) => (
  <section class="narrow">
    <p>
      <a href="/groups">All staff groups</a>
    </p>
    <h1>{p.title}</h1>
    <ActionLinks links={p.links ?? []} />
    <FormError error={p.errors._form} />
    {p.canEdit ? (
      <Form action={p.action}>
        <GroupFields
          values={p.values}
          errors={p.errors}
          members={p.staff.map((s) => ({
            value: s.id,
            label: `${s.first_name} ${s.last_name}${s.disabled_at ? ' (disabled)' : ''}`,
            hint: s.email,
          }))}
        />
        <RoleCheckboxes choices={p.choices} checked={p.values.roles ?? []} error={p.errors.roles} />
        <button type="submit">Save group</button>
      </Form>
    ) : (
      <>
        <p>{p.values.description}</p>
        <p>
          Members:{' '}
          {p.staff
            .filter((s) => p.values.members?.includes(s.id))
            .map((s) => `${s.first_name} ${s.last_name}`)
            .join(', ') || 'none'}
        </p>
      </>
    )}
    {p.deleteAction ? (
      <GroupDelete action={p.deleteAction} name={p.values.name} gives="roles" error={p.errors.confirm} />
    ) : null}
  </section>
);

/** A group's Delete section (staff and contact groups): a ticked box first, then the button. */
export const GroupDelete: FC<{ action: string; name: string | undefined; gives: string; error?: string }> = (
  p,
) => (
  <>
    <h2>Delete</h2>
    <ConfirmDelete
      action={p.action}
      confirmLabel={`Yes, delete ${p.name ?? 'this group'} and the ${p.gives} it gives its members`}
      button="Delete group"
      error={p.error}
    />
  </>
);
