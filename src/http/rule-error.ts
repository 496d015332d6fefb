/**
 * A business rule broken by the input, carried to the form as a message beside one field
 * (`_form` for the whole form). Services throw it; routes turn it into field errors.
 */
import type { FieldErrors } from '../../views/forms.js';
import { GrantError, LastAdminError } from '../permissions/index.js';

export class RuleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The field errors for a rule broken inside a service; anything else is rethrown. */
export function ruleErrors(error: unknown): FieldErrors {
  if (error instanceof RuleError) return { [error.field]: error.message };
  if (error instanceof GrantError) return { [error.field]: error.message };
  if (error instanceof LastAdminError) return { _form: error.message };
  throw error;
}
