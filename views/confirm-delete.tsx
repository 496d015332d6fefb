/** A delete form that needs a ticked box, with the refusal beside it when the box was left empty. */
import type { FC } from 'hono/jsx';
import { ConfirmBox, Form } from './forms.js';

export const ConfirmDelete: FC<{ action: string; confirmLabel: string; button: string; error?: string }> = (
  p,
) => (
  <Form action={p.action}>
    <ConfirmBox label={p.confirmLabel} error={p.error} />
    <button type="submit" class="danger">
      {p.button}
    </button>
  </Form>
);
