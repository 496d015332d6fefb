/**
 * "Share in Client Portal": the entity's contacts, each ticked when the entity is shared with them.
 * The same form sits near the top of the entity's page and on its own page (where a refused
 * submission comes back with its error and what was ticked).
 */
import type { FC } from 'hono/jsx';
import { CheckboxGroup, type FieldErrors, Form, FormError } from '../../views/forms.js';
import type { EntityContact } from './share-queries.js';

export interface PortalShareProps {
  entity: { id: string; name: string };
  contacts: EntityContact[];
  /** What was ticked in a refused submission; otherwise who it is shared with now. */
  ticked?: readonly string[];
  errors?: FieldErrors;
}

function hintOf(c: EntityContact): string | undefined {
  if (c.disabled) return 'Account disabled: cannot sign in.';
  if (!c.portalOn) return 'Client portal is off: sharing gives access but sends no email.';
  return undefined;
}

export const PortalShareForm: FC<PortalShareProps> = (p) => {
  const errors = p.errors ?? {};
  const ticked = p.ticked ?? p.contacts.filter((c) => c.shares.length > 0).map((c) => c.id);
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
              ...(hintOf(c) ? { hint: hintOf(c) } : {}),
            }))}
            checked={ticked}
            error={errors.contacts}
          />
          {p.contacts.map((c) => (
            <input type="hidden" name="contactsShown" value={c.id} />
          ))}
          <p class="hint">Newly ticked contacts whose Client portal is on are emailed a link to it.</p>
          <button type="submit">Save sharing</button>
        </Form>
      )}
    </section>
  );
};

export const PortalSharePage: FC<PortalShareProps & { entityWord: string }> = (p) => (
  <section class="narrow">
    <p>
      <a href={`/entities/${p.entity.id}`}>Back to {p.entity.name}</a>
    </p>
    <h1>
      Share {p.entityWord} {p.entity.name}
    </h1>
    <PortalShareForm {...p} />
  </section>
);
