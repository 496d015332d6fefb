/** A delete form that needs a ticked box, with the refusal beside it when the box was left empty. */
import type { FC } from 'hono/jsx';
import { ErrorText, Form } from './forms.js';

export const ConfirmDelete: FC<{ action: string; confirmLabel: string; button: string; error?: string }> = (
  p,
) => (
  <Form action={p.action}>
    <div class="checkbox">
      <input
        type="checkbox"
        id="f-confirm"
        name="confirm"
        value="yes"
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={p.error ? 'f-confirm-error' : undefined}
      />
      <label for="f-confirm">{p.confirmLabel}</label>
    </div>
    <ErrorText id="f-confirm-error" error={p.error} />
    <button type="submit" class="danger">
      {p.button}
    </button>
  </Form>
);
