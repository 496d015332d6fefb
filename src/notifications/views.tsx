/** Client Portal Notifications: the staff who can see an entity, ticked when they receive its notices. */
import type { FC } from 'hono/jsx';
import { CheckboxGroup, type FieldErrors, Form, FormError } from '../../views/forms.js';
import type { Holder } from '../permissions/index.js';

export const NotifyRecipientsPage: FC<{
  entity: { id: string; name: string };
  staff: Holder[];
  chosen: readonly string[];
  errors: FieldErrors;
}> = (p) => (
  <section class="narrow">
    <p>
      <a href={`/entities/${p.entity.id}`}>Back to {p.entity.name}</a>
    </p>
    <h1>Client Portal Notifications: {p.entity.name}</h1>
    <p>
      Who is told of client activity in {p.entity.name}: files uploaded, forms completed or changed. Only
      staff who can see {p.entity.name} are listed.
    </p>
    <Form action={`/entities/${p.entity.id}/notifications`}>
      <FormError error={p.errors._form} />
      <CheckboxGroup
        name="recipients"
        legend="Staff who receive notifications"
        options={p.staff.map((s) => ({ value: s.id, label: `${s.first_name} ${s.last_name} (${s.email})` }))}
        checked={p.chosen}
        error={p.errors.recipients}
      />
      <button type="submit">Save</button>
    </Form>
  </section>
);
