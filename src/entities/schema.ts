/**
 * What an entity form accepts, and the words the firm uses for entities (Client, Case or Matter,
 * chosen in Settings). Summary and Details are separate forms because each has its own permission.
 */
import * as v from 'valibot';
import type { Entity, EntityKind } from '../db/schema.js';
import { fields } from '../http/forms.js';

export const ENTITY_KINDS: Record<EntityKind, string> = {
  individual: 'Individual',
  company: 'Company',
  trust: 'Trust',
  partnership: 'Partnership',
  other: 'Other',
};

export const summarySchema = v.object({
  name: v.pipe(
    v.string(),
    v.trim(),
    v.nonEmpty('Enter the name.'),
    v.maxLength(150, 'The name must be at most 150 characters.'),
  ),
  kind: v.picklist(Object.keys(ENTITY_KINDS) as EntityKind[], 'Choose what kind of entity this is.'),
  reference: fields.optionalText('reference', 50),
});

export const detailsSchema = v.object({
  email: v.pipe(
    v.string(),
    v.trim(),
    v.check(
      (s) => s === '' || v.is(fields.email(), s),
      'Enter an email address like name@example.com, or leave it empty.',
    ),
  ),
  phone: fields.optionalText('phone number', 50),
  taxNumber: fields.optionalText('tax number', 50),
  address: fields.optionalText('address', 500),
  notes: fields.optionalText('notes', 2000),
});

export type SummaryInput = v.InferOutput<typeof summarySchema>;
export type DetailsInput = v.InferOutput<typeof detailsSchema>;

/** An entity's Details as its forms, the Overview and the audit log name them. */
export const detailsOf = (e: Pick<Entity, 'email' | 'phone' | 'tax_number' | 'address' | 'notes'>) => ({
  email: e.email,
  phone: e.phone,
  taxNumber: e.tax_number,
  address: e.address,
  notes: e.notes,
});
