/**
 * Reads a submitted form and validates it with a valibot schema, giving back either the typed
 * value or one message per field, ready to show beside each control.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import type { FieldErrors } from '../../views/forms.js';

export type FormValues = Record<string, string | string[]>;

/** The posted fields as strings; repeated names (checkboxes) become arrays. */
export async function readForm(c: Context): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true });
  const out: FormValues = {};
  for (const [k, value] of Object.entries(body)) {
    if (Array.isArray(value)) out[k] = value.filter((x): x is string => typeof x === 'string');
    else if (typeof value === 'string') out[k] = value;
  }
  return out;
}

export function text(values: FormValues, name: string): string {
  const value = values[name];
  return typeof value === 'string' ? value : (value?.[0] ?? '');
}

export function list(values: FormValues, name: string): string[] {
  const value = values[name];
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

/** The roles a form ticked, and those it offered as changeable (see RoleChange). */
export function roleChange(values: FormValues): { requested: string[]; shown: string[] | null } {
  return {
    requested: list(values, 'roles'),
    shown: 'rolesShown' in values ? list(values, 'rolesShown') : null,
  };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Every field's first problem, all at once (a form-wide check runs even when a field is wrong). */
export function validate<S extends v.GenericSchema>(schema: S, input: unknown): Parsed<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const errors: FieldErrors = {};
  for (const issue of result.issues) {
    const key = issue.path?.[0]?.key;
    const name = typeof key === 'string' ? key : '_form';
    errors[name] ??= issue.message;
  }
  return { ok: false, errors };
}

/** Shared field rules, so every form says the same thing about the same kind of value. */
export const fields = {
  name: (label: string) =>
    v.pipe(
      v.string(),
      v.trim(),
      v.nonEmpty(`Enter the ${label}.`),
      v.maxLength(100, `The ${label} must be at most 100 characters.`),
    ),
  email: () =>
    v.pipe(
      v.string(),
      v.trim(),
      v.nonEmpty('Enter an email address.'),
      v.maxLength(254, 'The email address must be at most 254 characters.'),
      v.email('Enter an email address like name@example.com.'),
    ),
  optionalText: (label: string, max = 500) =>
    v.pipe(v.string(), v.trim(), v.maxLength(max, `The ${label} must be at most ${max} characters.`)),
};
