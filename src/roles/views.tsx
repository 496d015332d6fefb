/**
 * Settings → Security → Role Permissions: the list of every role beside the selected role's panel,
 * and the custom role form. One table component shows the letters of every object type, read-only
 * in the panel and as checkboxes in the form, so the two always agree with the catalogue.
 */
import type { Child, FC } from 'hono/jsx';
import { ConfirmDelete } from '../../views/confirm-delete.js';
import { ErrorText, Field, type FieldErrors, Form, FormError, RadioGroup } from '../../views/forms.js';
import { DataTable } from '../../views/table.js';
import {
  LETTERS,
  type Letter,
  type Level,
  OBJECT_TYPES,
  type ObjectType,
  type Permission,
  type RoleDefinition,
} from '../permissions/index.js';
import { kindLockedMessage, NAME_MAX, ROLE_KINDS } from './schema.js';

const LETTER_KEYS = Object.keys(LETTERS) as Letter[];
const TYPES = Object.keys(OBJECT_TYPES) as ObjectType[];
/** The seed's groups in catalogue order: Organization, Entity and Content objects (then Portico's own). */
const GROUPS = [...new Set(TYPES.map((t) => OBJECT_TYPES[t].group))];
const LEVEL_NAMES: Record<Level, string> = {
  system: 'System',
  portal: 'Portal',
  entity: 'Entity',
  item: 'Item',
};

const hasLetter = (type: ObjectType, letter: Letter) =>
  (OBJECT_TYPES[type].letters as readonly Letter[]).includes(letter);

/** "File: Create": what a permission's checkbox is called. */
export const permissionName = (type: ObjectType, letter: Letter) =>
  `${OBJECT_TYPES[type].label}: ${LETTERS[letter]}`;

const roleKind = (role: RoleDefinition) =>
  `${role.builtIn ? 'Built-in' : 'Custom'} ${role.kind === 'staff' ? 'staff' : 'contact'} role`;

/**
 * Object types in rows (grouped as in the seed), letters C R E D A S in columns; a letter an object
 * type does not have is an empty cell, every other cell is whatever `cell` renders.
 */
const PermissionTable: FC<{ caption: string; cell: (p: Permission) => Child }> = (p) => (
  <DataTable
    caption={p.caption}
    class="letters"
    columns={['Object type', ...LETTER_KEYS.map((l) => <abbr title={LETTERS[l]}>{l}</abbr>)]}
  >
    {GROUPS.map((group) => (
      <tbody>
        <tr>
          <th scope="rowgroup" colspan={LETTER_KEYS.length + 1} class="group">
            {group}
          </th>
        </tr>
        {TYPES.filter((t) => OBJECT_TYPES[t].group === group).map((t) => (
          <tr>
            <th scope="row">{OBJECT_TYPES[t].label}</th>
            {LETTER_KEYS.map((l) => (
              <td>{hasLetter(t, l) ? p.cell(`${t}:${l}` as Permission) : null}</td>
            ))}
          </tr>
        ))}
      </tbody>
    ))}
  </DataTable>
);

const LetterKey: FC = () => (
  <p class="hint letter-key">
    {LETTER_KEYS.map((l) => `${l}: ${LETTERS[l]}`).join(' · ')}. An empty cell is a letter the object type
    does not have.
  </p>
);

const Granted: FC<{ granted: boolean }> = ({ granted }) =>
  granted ? (
    <>
      <span class="granted" aria-hidden="true">
        ✓
      </span>
      <span class="visually-hidden">Granted</span>
    </>
  ) : (
    <>
      <span class="not-granted" aria-hidden="true">
        –
      </span>
      <span class="visually-hidden">Not granted</span>
    </>
  );

export const RoleList: FC<{ roles: RoleDefinition[]; selectedId: string | null }> = (p) => (
  <DataTable caption="Roles" columns={['Role', 'For', 'Type']}>
    <tbody>
      {p.roles.map((r) => (
        <tr class={r.id === p.selectedId ? 'selected' : undefined}>
          <td>
            <a
              href={`/settings/roles/${r.id}#role-panel`}
              aria-current={r.id === p.selectedId ? 'true' : undefined}
            >
              {r.name}
            </a>
          </td>
          <td>{ROLE_KINDS[r.kind]}</td>
          <td>{r.builtIn ? 'Built-in' : 'Custom'}</td>
        </tr>
      ))}
    </tbody>
  </DataTable>
);

export interface PanelAccess {
  /** May open the edit form (Organization - Edit, and holds every permission the role carries). */
  edit: boolean;
  /** Holds Organization - Edit, but not every permission the role carries. */
  lacksPermissions: boolean;
}

export const RolePanel: FC<{ role: RoleDefinition; may: PanelAccess }> = ({ role, may }) => (
  <section id="role-panel" class="panel role-panel" aria-labelledby="role-panel-title">
    <h2 id="role-panel-title">{role.name}</h2>
    <p>{roleKind(role)}</p>
    {role.builtIn ? (
      <>
        <p>{role.description}</p>
        <p>Given at: {role.levels.map((l) => LEVEL_NAMES[l]).join(', ')} level.</p>
        <p class="hint">Built-in roles cannot be changed or deleted.</p>
      </>
    ) : may.edit ? (
      <p>
        <a class="button" href={`/settings/roles/${role.id}/edit`}>
          Edit role
        </a>
      </p>
    ) : may.lacksPermissions ? (
      <p class="hint">You cannot change or delete this role: it carries permissions you do not hold.</p>
    ) : null}
    <PermissionTable
      caption={`Permissions of ${role.name}`}
      cell={(p) => <Granted granted={role.permissions.has(p)} />}
    />
    <LetterKey />
  </section>
);

export const RolesPage: FC<{
  roles: RoleDefinition[];
  selected: { role: RoleDefinition; may: PanelAccess } | null;
  canCreate: boolean;
}> = (p) => (
  <section>
    <p>
      <a href="/settings">Settings</a> › Security
    </p>
    <div class="page-head">
      <h1>Role Permissions</h1>
      {p.canCreate ? (
        <a class="button" href="/settings/roles/new">
          Add custom role
        </a>
      ) : null}
    </div>
    <div class="roles-layout">
      <RoleList roles={p.roles} selectedId={p.selected?.role.id ?? null} />
      {p.selected ? (
        <RolePanel role={p.selected.role} may={p.selected.may} />
      ) : (
        <section id="role-panel" class="panel role-panel" aria-label="Selected role">
          <p>Select a role to see what it allows on each type of object.</p>
        </section>
      )}
    </div>
  </section>
);

export interface RoleValues {
  name?: string;
  kind?: string;
  permissions?: readonly string[];
}

export interface RoleFormProps {
  values: RoleValues;
  errors: FieldErrors;
  /** Set when editing: the role's id and how many bindings give it. */
  editing?: { id: string; name: string; bindings: number; deleteError?: string | undefined };
}

const PermissionBoxes: FC<{ checked: readonly string[]; error: string | undefined }> = (p) => {
  const errorId = 'f-permissions-error';
  return (
    // aria-invalid is not reported on a fieldset, so each box carries it and points at the message.
    <fieldset
      class="field"
      aria-describedby={['f-permissions-hint', p.error ? errorId : ''].join(' ').trim()}
    >
      <legend>Permissions</legend>
      <p class="hint" id="f-permissions-hint">
        Tick the letters this role grants on each type of object. You can only give permissions you hold
        yourself.
      </p>
      <ErrorText id={errorId} error={p.error} />
      <PermissionTable
        caption="Permission letters"
        cell={(perm) => {
          const [type, letter] = perm.split(':') as [ObjectType, Letter];
          const id = `f-permissions-${perm.replace(/[.:]/g, '-')}`;
          return (
            <>
              <input
                type="checkbox"
                id={id}
                name="permissions"
                value={perm}
                checked={p.checked.includes(perm)}
                aria-invalid={p.error ? 'true' : undefined}
                aria-describedby={p.error ? errorId : undefined}
              />
              <label for={id} class="visually-hidden">
                {permissionName(type, letter)}
              </label>
            </>
          );
        }}
      />
      <LetterKey />
    </fieldset>
  );
};

const DeleteRole: FC<{ id: string; name: string; bindings: number; error: string | undefined }> = (p) => (
  <>
    <h2>Delete this role</h2>
    <p>
      {p.bindings === 0
        ? 'It is not given to anyone.'
        : `It is given ${p.bindings === 1 ? 'once' : `${p.bindings} times`} (to people or groups). Deleting it also removes ${p.bindings === 1 ? 'that role assignment' : `those ${p.bindings} role assignments`}, with the access they give.`}
    </p>
    <ConfirmDelete
      action={`/settings/roles/${p.id}/delete`}
      confirmLabel={`Yes, delete the ${p.name} role`}
      button="Delete role"
      error={p.error}
    />
  </>
);

export const RoleForm: FC<RoleFormProps> = ({ values, errors, editing }) => {
  const kindLocked = editing !== undefined && editing.bindings > 0;
  return (
    <section class="role-form">
      <p>
        <a href={editing ? `/settings/roles/${editing.id}` : '/settings/roles'}>
          {editing ? `Back to ${editing.name}` : 'All roles'}
        </a>
      </p>
      <h1>{editing ? `Edit role: ${editing.name}` : 'Add custom role'}</h1>
      <Form action={editing ? `/settings/roles/${editing.id}` : '/settings/roles'}>
        <FormError error={errors._form} />
        <Field
          name="name"
          label="Role name"
          value={values.name}
          error={errors.name}
          required
          hint={`Up to ${NAME_MAX} characters. No two roles, built-in or custom, may share a name.`}
        />
        {kindLocked ? <input type="hidden" name="kind" value={values.kind} /> : null}
        <RadioGroup
          name="kind"
          legend="Who is this role for?"
          options={Object.entries(ROLE_KINDS).map(([value, label]) => ({ value, label }))}
          value={values.kind}
          error={errors.kind}
          disabled={kindLocked}
          hint={kindLocked && !errors.kind ? kindLockedMessage(editing.bindings) : undefined}
        />
        <PermissionBoxes checked={values.permissions ?? []} error={errors.permissions} />
        <button type="submit">{editing ? 'Save role' : 'Add role'}</button>
      </Form>
      {editing ? (
        <DeleteRole
          id={editing.id}
          name={editing.name}
          bindings={editing.bindings}
          error={editing.deleteError}
        />
      ) : null}
    </section>
  );
};
