/** The first-run setup form. */
import type { FC } from 'hono/jsx';
import { Field, type FieldErrors, Form, FormError, Select } from '../../views/forms.js';
import { ENTITY_LABELS } from '../settings/index.js';

export interface SetupValues {
  token?: string;
  firmName?: string;
  entityLabel?: string;
  timeZone?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
}

export const SetupForm: FC<{ values: SetupValues; errors: FieldErrors; zones: string[] }> = ({
  values,
  errors,
  zones,
}) => (
  <section class="narrow">
    <h1>Set up Portico</h1>
    <p>
      Create your firm and its first Admin. The setup token was printed in the server console when Portico
      started.
    </p>
    <Form action="/setup">
      <FormError error={errors._form} />
      <Field
        name="token"
        label="Setup token"
        value={values.token}
        error={errors.token}
        autocomplete="off"
        required
      />
      <h2>Your firm</h2>
      <Field name="firmName" label="Firm name" value={values.firmName} error={errors.firmName} required />
      <Select
        name="entityLabel"
        label="What do you call your clients' workspaces?"
        options={ENTITY_LABELS.map((l) => ({ value: l, label: `${l}s` }))}
        value={values.entityLabel ?? 'Client'}
        error={errors.entityLabel}
      />
      <Select
        name="timeZone"
        label="Time zone"
        options={zones.map((z) => ({ value: z, label: z }))}
        value={values.timeZone ?? 'UTC'}
        error={errors.timeZone}
      />
      <h2>First Admin</h2>
      <Field
        name="firstName"
        label="First name"
        value={values.firstName}
        error={errors.firstName}
        autocomplete="given-name"
        required
      />
      <Field
        name="lastName"
        label="Last name"
        value={values.lastName}
        error={errors.lastName}
        autocomplete="family-name"
        required
      />
      <Field
        name="email"
        label="Email"
        type="email"
        value={values.email}
        error={errors.email}
        autocomplete="email"
        required
      />
      <Field
        name="password"
        label="Password"
        type="password"
        error={errors.password}
        autocomplete="new-password"
        hint="At least 12 characters."
        required
      />
      <Field
        name="passwordConfirm"
        label="Repeat password"
        type="password"
        error={errors.passwordConfirm}
        autocomplete="new-password"
        required
      />
      <button type="submit">Create firm and Admin</button>
    </Form>
  </section>
);
