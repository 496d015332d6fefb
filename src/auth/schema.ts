/** Password fields as validated input, shared by setup, set-password links and the account page. */
import * as v from 'valibot';
import { PASSWORD_MAX, PASSWORD_MIN } from './password.js';

export const newPasswordFields = {
  password: v.pipe(
    v.string(),
    v.minLength(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`),
    v.maxLength(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`),
  ),
  passwordConfirm: v.string(),
};

type WithPasswords = { password: string; passwordConfirm: string };

/** Adds "the two passwords match" (reported beside the repeat field) to a schema holding both. */
export function withMatchingPasswords<S extends v.GenericSchema<unknown, WithPasswords>>(schema: S) {
  return v.pipe(
    schema,
    v.rawCheck<v.InferOutput<S>>(({ dataset, addIssue }) => {
      if (!dataset.typed || dataset.value.password === dataset.value.passwordConfirm) return;
      addIssue({
        message: 'The two passwords do not match.',
        path: [
          {
            type: 'object',
            origin: 'value',
            input: dataset.value as Record<string, unknown>,
            key: 'passwordConfirm',
            value: dataset.value.passwordConfirm,
          },
        ],
      });
    }),
  );
}
