/**
 * A contact group's form. A firm may have 100,000 contacts, so members are found by a search in
 * the same form (its button submits by GET and keeps what is ticked), then ticked, as in the seed.
 */
import type { FC } from 'hono/jsx';
import { type ActionLink, ActionLinks } from '../../views/action-links.js';
import { type FieldErrors, FindInForm, Form, FormError } from '../../views/forms.js';
import type { ContactChoice } from './queries.js';
import { GroupDelete, GroupFields } from './views.js';

export interface ContactGroupValues {
  name?: string;
  description?: string;
  members?: string[];
}

export const ContactGroupForm: FC<{
  action: string;
  title: string;
  values: ContactGroupValues;
  errors: FieldErrors;
  q: string;
  /** The ticked contacts and those the search found. */
  choices: ContactChoice[];
  canEdit: boolean;
  deleteAction?: string | undefined;
  links?: readonly ActionLink[];
}> = (p) => (
  <section class="narrow">
    <p>
      <a href="/contact-groups">All contact groups</a>
    </p>
    <h1>{p.title}</h1>
    <ActionLinks links={p.links ?? []} />
    <FormError error={p.errors._form} />
    {p.canEdit ? (
      <Form action={p.action}>
        <GroupFields
          values={p.values}
          errors={p.errors}
          members={p.choices.map((c) => ({
            value: c.id,
            label: `${c.first_name} ${c.last_name}`,
            hint: c.email,
          }))}
        />
        {p.choices.map((c) => (
          <input type="hidden" name="membersShown" value={c.id} />
        ))}
        <FindInForm
          name="q"
          label="Find contacts to add (name or email)"
          q={p.q}
          button="Find contacts"
          action={p.action === '/contact-groups' ? '/contact-groups/new' : p.action}
        />
        <button type="submit">Save group</button>
      </Form>
    ) : (
      <>
        <p>{p.values.description}</p>
        <p>
          Members:{' '}
          {p.choices
            .filter((c) => p.values.members?.includes(c.id))
            .map((c) => `${c.first_name} ${c.last_name}`)
            .join(', ') || 'none you can see'}
        </p>
      </>
    )}
    {p.deleteAction ? (
      <GroupDelete action={p.deleteAction} name={p.values.name} gives="access" error={p.errors.confirm} />
    ) : null}
  </section>
);
