/**
 * "Share in Client Portal": the entity's contacts, each ticked when they see it in the portal. A
 * contact who sees it only through a portal membership or a contact group is shown ticked and
 * greyed out (unticking here could not change it), with where the access comes from and where to
 * change it; one shared here who also sees it that way is told that unticking leaves that access.
 * The form sits on the entity's People and access tab, and comes back on its own page inside that
 * tab when a submission is refused, with its error and what was ticked.
 */
import type { Child, FC } from 'hono/jsx';
import { CheckboxGroup, type FieldErrors, Form, FormError } from '../../views/forms.js';
import type { EntityContact, Through } from './share-queries.js';

export interface PortalShareProps {
  entity: { id: string; name: string };
  contacts: EntityContact[];
  /** What was ticked in a refused submission; otherwise who it is shared with now. */
  ticked?: readonly string[];
  errors?: FieldErrors;
  /** May the viewer open contact groups' pages (to link the group an access comes through)? */
  groupLinks?: boolean;
}

/** Where access comes from: "portal Clearwater (Portal - Contributor)", linked where the viewer may go. */
const source = (t: Through, groupLinks: boolean): Child =>
  t.kind === 'portal' ? (
    <>
      portal <a href={`/portals/${t.id}`}>{t.name}</a> ({t.role.replace(/^Portal - /, '')})
    </>
  ) : (
    <>
      contact group {groupLinks ? <a href={`/contact-groups/${t.id}`}>{t.name}</a> : t.name} ({t.role}
      {t.portal ? ` at portal ${t.portal.name}` : ''})
    </>
  );

const sources = (through: Through[], groupLinks: boolean): Child =>
  through.map((t, i) => (
    <>
      {i > 0 ? (i === through.length - 1 ? ' and ' : ', ') : null}
      {source(t, groupLinks)}
    </>
  ));

/** Where to change an access that does not come from sharing here. */
const whereToChange = (through: Through[]) =>
  through.every((t) => t.kind === 'portal')
    ? 'only removing them from the portal does'
    : through.every((t) => t.kind === 'group')
      ? 'only taking them out of the group (or the group’s role away) does'
      : 'only removing them from the portal or the group does';

function hintOf(c: EntityContact, groupLinks: boolean): Child {
  const notes: Child[] = [];
  if (c.through.length && c.shares.length === 0)
    notes.push(
      <>
        Sees it through {sources(c.through, groupLinks)}. Unticking here would not change that:{' '}
        {whereToChange(c.through)}.
      </>,
    );
  else if (c.through.length)
    notes.push(
      <>
        Also sees it through {sources(c.through, groupLinks)}: unticking removes only the share here, and they
        still see it.
      </>,
    );
  if (c.disabled) notes.push('Account disabled: cannot sign in.');
  else if (!c.portalOn) notes.push('Client portal is off: sharing gives access but sends no email.');
  return notes.length
    ? notes.map((n, i) => (
        <>
          {i > 0 ? ' ' : null}
          {n}
        </>
      ))
    : undefined;
}

/** Seen only through a portal or a group: ticked, and not something this form can change. */
const fixed = (c: EntityContact) => c.shares.length === 0 && c.through.length > 0;

export const PortalShareForm: FC<PortalShareProps> = (p) => {
  const errors = p.errors ?? {};
  const shared = p.ticked ?? p.contacts.filter((c) => c.shares.length > 0).map((c) => c.id);
  const ticked = [...shared, ...p.contacts.filter(fixed).map((c) => c.id)];
  const groupLinks = p.groupLinks ?? false;
  return (
    <section aria-labelledby="portal-share">
      <h2 id="portal-share">Share in Client Portal</h2>
      {p.contacts.length === 0 ? (
        <p>{p.entity.name} has no contacts yet.</p>
      ) : (
        <Form action={`/entities/${p.entity.id}/client-portal`}>
          <FormError error={errors._form} />
          <CheckboxGroup
            name="contacts"
            legend={`Contacts who see ${p.entity.name} in the client portal`}
            options={p.contacts.map((c) => ({
              value: c.id,
              label: `${c.firstName} ${c.lastName} (${c.email})`,
              hint: hintOf(c, groupLinks),
              disabled: fixed(c),
            }))}
            checked={ticked}
            error={errors.contacts}
          />
          {p.contacts
            .filter((c) => !fixed(c))
            .map((c) => (
              <input type="hidden" name="contactsShown" value={c.id} />
            ))}
          <p class="hint">Newly ticked contacts whose Client portal is on are emailed a link to it.</p>
          <button type="submit">Save sharing</button>
        </Form>
      )}
    </section>
  );
};
