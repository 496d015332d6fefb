/**
 * The portal list, the Create portal form (in the seed's order: name, clients, administrator,
 * members, create new user, default "send as", default notify list, bulk task assignees) and a
 * portal's page. Clients and contacts are found by searches inside the form, whose buttons submit
 * it by GET and keep everything chosen, so the form needs no JavaScript.
 */
import type { FC } from 'hono/jsx';
import { ConfirmDelete } from '../../views/confirm-delete.js';
import { EmailAddress } from '../../views/email-address.js';
import {
  CheckboxGroup,
  ErrorText,
  Field,
  type FieldErrors,
  FindInForm,
  Form,
  FormError,
  Select,
} from '../../views/forms.js';
import { DataTable } from '../../views/table.js';
import type { ContactChoice } from '../groups/index.js';
import type { entityWords } from '../http/entity-words.js';
import type { PortalAccess } from '../permissions/index.js';
import type { EntityChoice, Member, PortalRow } from './queries.js';
import { ACCESS_LABELS, PORTAL_NAME_MAX, type PortalValues } from './schema.js';

type Words = ReturnType<typeof entityWords>;
type Person = { id: string; first_name: string; last_name: string };
const nameOf = (p: Person) => `${p.first_name} ${p.last_name}`;

export const PortalList: FC<{ rows: PortalRow[]; canCreate: boolean; words: Words }> = (p) => (
  <section>
    <div class="page-head">
      <h1>Portal list</h1>
      {p.canCreate ? (
        <a class="button" href="/portals/new">
          Create portal
        </a>
      ) : null}
    </div>
    <DataTable caption="Portals" columns={['Name', p.words.many, 'Administrator', 'Members']}>
      <tbody>
        {p.rows.length === 0 ? (
          <tr>
            <td colspan={4}>No portals yet.</td>
          </tr>
        ) : (
          p.rows.map((r) => (
            <tr>
              <td>
                <a href={`/portals/${r.id}`}>{r.name}</a>
              </td>
              <td>{r.entities.join(', ')}</td>
              <td>{r.administrator}</td>
              <td>{r.members}</td>
            </tr>
          ))
        )}
      </tbody>
    </DataTable>
  </section>
);

const ACCESS_OPTIONS = [
  { value: '', label: 'Not in this portal' },
  ...Object.entries(ACCESS_LABELS).map(([value, label]) => ({ value, label })),
];

/** One select per contact found or chosen: not a member, full access, or contributor. */
const MemberPicker: FC<{
  choices: ContactChoice[];
  members: Record<string, PortalAccess>;
  error?: string;
}> = (p) => (
  <fieldset class="field" aria-describedby={p.error ? 'f-members-error' : 'f-members-hint'}>
    <legend>Members</legend>
    <p class="hint" id="f-members-hint">
      Full access: sees every document and task of the portal’s clients. Contributor: sees only what is shared
      with them. A person can be in more than one portal.
    </p>
    {p.choices.length === 0 ? <p class="hint">Find contacts below to add them.</p> : null}
    {p.choices.map((c) => (
      <Select
        name={`access-${c.id}`}
        label={`${c.first_name} ${c.last_name} (${c.email})`}
        options={ACCESS_OPTIONS}
        value={p.members[c.id] ?? ''}
      />
    ))}
    <ErrorText id="f-members-error" error={p.error} />
  </fieldset>
);

export interface PortalFormProps {
  /** Where the form posts, where its searches go, its heading and its button. */
  action: string;
  searchAction: string;
  title: string;
  button: string;
  values: PortalValues;
  errors: FieldErrors;
  words: Words;
  /** Searches typed in the form. */
  eq: string;
  cq: string;
  entities: EntityChoice[];
  contacts: ContactChoice[];
  staff: (Person & { email: string })[];
  me: Person;
}

export const PortalForm: FC<PortalFormProps> = (p) => {
  const members = p.values.members ?? {};
  const staffOptions = p.staff.map((s) => ({ value: s.id, label: nameOf(s), hint: s.email }));
  const memberOptions = p.contacts
    .filter((c) => members[c.id])
    .map((c) => ({
      value: c.id,
      label: `${c.first_name} ${c.last_name}`,
      hint: ACCESS_LABELS[members[c.id] as PortalAccess],
    }));
  return (
    <section class="narrow">
      <p>
        <a href="/portals">Portal list</a>
      </p>
      <h1>{p.title}</h1>
      <FormError error={p.errors._form} />
      <Form action={p.action}>
        <Field
          name="name"
          label="Portal name"
          value={p.values.name}
          error={p.errors.name}
          hint={`For your reference only: a name that relates to the client. At most ${PORTAL_NAME_MAX} characters.`}
          required
        />
        <CheckboxGroup
          name="entities"
          legend={p.words.many}
          checked={p.values.entities ?? []}
          error={p.errors.entities}
          empty={`None chosen yet: find ${p.words.many.toLowerCase()} below to add them.`}
          options={p.entities.map((e) => ({
            value: e.id,
            label: e.name,
            hint: e.portal ? `In portal “${e.portal}”` : e.reference,
          }))}
        />
        <FindInForm
          name="eq"
          label={`Find ${p.words.many.toLowerCase()} to add (name or reference)`}
          q={p.eq}
          button={`Find ${p.words.many.toLowerCase()}`}
          action={p.searchAction}
        />
        <Select
          name="administrator"
          label="Administrator"
          value={p.values.administrator}
          error={p.errors.administrator}
          options={[
            { value: '', label: `${nameOf(p.me)} (you, unless you choose someone)` },
            ...staffOptions.filter((s) => s.value !== p.me.id),
          ]}
        />
        <p class="hint">Receives clients’ notifications that are not replies to tasks assigned to them.</p>
        <MemberPicker choices={p.contacts} members={members} error={p.errors.members} />
        <FindInForm
          name="cq"
          label="Find contacts to add (name or email)"
          q={p.cq}
          button="Find contacts"
          action={p.searchAction}
        />
        {p.contacts.map((c) => (
          <input type="hidden" name="membersShown" value={c.id} />
        ))}
        <fieldset class="field">
          <legend>Create new user</legend>
          <p class="hint">Someone not yet in Portico. Each person needs their own email address.</p>
          <Field
            name="newFirstName"
            label="First name"
            value={p.values.newFirstName}
            error={p.errors.newFirstName}
          />
          <Field
            name="newLastName"
            label="Last name"
            value={p.values.newLastName}
            error={p.errors.newLastName}
          />
          <Field
            name="newEmail"
            label="Email"
            type="email"
            value={p.values.newEmail}
            error={p.errors.newEmail}
          />
          <Select
            name="newClient"
            label={`Their ${p.words.lower}`}
            value={p.values.newClient}
            error={p.errors.newClient}
            options={[
              { value: '', label: `Choose one of the portal’s ${p.words.many.toLowerCase()}` },
              ...p.entities.map((e) => ({ value: e.id, label: e.name })),
            ]}
          />
          <Select
            name="newAccess"
            label="Their access"
            value={p.values.newAccess}
            options={Object.entries(ACCESS_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </fieldset>
        <Select
          name="sendAs"
          label="Default “send as” user"
          value={p.values.sendAs}
          error={p.errors.sendAs}
          options={[{ value: '', label: 'Nobody: tasks come from whoever creates them' }, ...staffOptions]}
        />
        <CheckboxGroup
          name="notify"
          legend="Default notify list"
          checked={p.values.notify ?? []}
          error={p.errors.notify}
          options={staffOptions}
        />
        <CheckboxGroup
          name="bulk"
          legend="Bulk task assignees"
          checked={p.values.bulk ?? []}
          error={p.errors.bulk}
          empty="The members you choose above appear here."
          options={memberOptions}
        />
        <p class="hint">If you choose nobody, bulk tasks are assigned to every member with full access.</p>
        <button type="submit">{p.button}</button>
      </Form>
    </section>
  );
};

export interface PortalPageProps {
  name: string;
  words: Words;
  entities: { id: string; name: string }[];
  administrator: Person | undefined;
  sendAs: Person | undefined;
  members: Member[];
  notify: Person[];
  bulk: Person[];
  /** Where "Edit portal" and the delete form go, for those who may manage it. */
  editHref: string | null;
  deleteAction: string | null;
  errors: FieldErrors;
}

export const PortalPage: FC<PortalPageProps> = (p) => (
  <section class="narrow">
    <p>
      <a href="/portals">Portal list</a>
    </p>
    <h1>Portal: {p.name}</h1>
    {p.editHref ? (
      <p>
        <a class="button" href={p.editHref}>
          Edit portal
        </a>
      </p>
    ) : null}
    <dl>
      <dt>{p.words.many}</dt>
      <dd>
        {p.entities.length
          ? p.entities.map((e, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a href={`/entities/${e.id}`}>{e.name}</a>
              </>
            ))
          : 'None you can see'}
      </dd>
      <dt>Administrator</dt>
      <dd>{p.administrator ? nameOf(p.administrator) : '—'}</dd>
      <dt>Default “send as” user</dt>
      <dd>{p.sendAs ? nameOf(p.sendAs) : 'Nobody: tasks come from whoever creates them'}</dd>
      <dt>Default notify list</dt>
      <dd>{p.notify.map(nameOf).join(', ') || 'Only the task’s creator'}</dd>
      <dt>Bulk task assignees</dt>
      <dd>{p.bulk.map(nameOf).join(', ') || 'Every member with full access'}</dd>
    </dl>
    <DataTable caption="Members" columns={['Name', 'Email', 'Access']}>
      <tbody>
        {p.members.length === 0 ? (
          <tr>
            <td colspan={3}>No members yet.</td>
          </tr>
        ) : (
          p.members.map((m) => (
            <tr>
              <td>
                <a href={`/contacts/${m.id}`}>{m.name}</a>
              </td>
              <td>
                <EmailAddress address={m.email} />
              </td>
              <td>{ACCESS_LABELS[m.access]}</td>
            </tr>
          ))
        )}
      </tbody>
    </DataTable>
    {p.deleteAction ? (
      <>
        <h2>Delete</h2>
        <ConfirmDelete
          action={p.deleteAction}
          confirmLabel={`Yes, delete ${p.name} and its members’ access through it`}
          button="Delete portal"
          error={p.errors.confirm}
        />
      </>
    ) : null}
  </section>
);
