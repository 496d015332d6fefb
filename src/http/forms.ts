/**
 * Reads a submitted form and validates it with a valibot schema, giving back either the typed
 * value or one message per field, ready to show beside each control. The one door for request
 * bodies and query values: a body that cannot be read is a MalformedInput (400), never a 500, and
 * a single-valued field or query parameter sent twice is a RepeatedField (422), decided here.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import type { FieldErrors } from '../../views/forms.js';
import {
  checkMultipartText,
  MalformedInput,
  multipartBoundary,
  parseUrlEncoded,
  RepeatedField,
} from './strict-input.js';

export type FormValues = Record<string, string | string[]>;

/**
 * The posted body, read strictly (see strict-input.ts): urlencoded or multipart (files kept as
 * files, their bytes unchecked); any other type is read as an empty form.
 */
export async function readFormData(c: Context): Promise<FormData> {
  const type = c.req.header('Content-Type') ?? '';
  const media = type.split(';')[0]!.trim().toLowerCase();
  const form = new FormData();
  if (media !== 'multipart/form-data' && media !== 'application/x-www-form-urlencoded') return form;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await c.req.arrayBuffer());
  } catch {
    throw new MalformedInput('The form was cut short.');
  }
  if (media === 'application/x-www-form-urlencoded') {
    for (const [name, value] of parseUrlEncoded(bytes, 'A form field')) form.append(name, value);
    return form;
  }
  const boundary = multipartBoundary(type);
  if (!boundary) throw new MalformedInput('The form does not say where its parts begin (no boundary).');
  let parsed: FormData;
  try {
    parsed = await new Response(bytes, { headers: { 'Content-Type': type } }).formData();
  } catch {
    throw new MalformedInput('The form was cut short or is not a well-formed multipart form.');
  }
  checkMultipartText(bytes, boundary);
  return parsed;
}

/** The posted fields as strings; repeated names (checkboxes) become arrays. */
export async function readForm(c: Context): Promise<FormValues> {
  const out: FormValues = {};
  for (const [name, value] of await readFormData(c)) {
    if (typeof value !== 'string') continue;
    const held = out[name];
    out[name] = held === undefined ? value : [...(Array.isArray(held) ? held : [held]), value];
  }
  return out;
}

/** A single-valued field ('' when absent); sent more than once, it is refused (RepeatedField). */
export function text(values: FormValues, name: string): string {
  const value = values[name];
  if (Array.isArray(value) && value.length > 1) throw new RepeatedField(name);
  return typeof value === 'string' ? value : (value?.[0] ?? '');
}

/** A single-valued query parameter, as `text` is for a form: sent more than once, refused. */
export function query(c: Context, name: string): string | undefined {
  const values = c.req.queries(name);
  if (values && values.length > 1) throw new RepeatedField(name);
  return values?.[0];
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
