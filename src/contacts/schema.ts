/**
 * What a contact form accepts. Summary (name, email, client entity) and Details (phone, address,
 * notes) are separate forms because each has its own permission.
 */
import * as v from 'valibot';
import { fields } from '../http/forms.js';

export const summarySchema = v.object({
  firstName: fields.name('first name'),
  lastName: fields.name('last name'),
  email: fields.email(),
  /** The client entity's name or reference, as typed; resolved to an id by the route. */
  client: fields.optionalText('client', 150),
});

export const detailsSchema = v.object({
  phone: fields.optionalText('phone number', 50),
  address: fields.optionalText('address', 500),
  notes: fields.optionalText('notes', 2000),
});

export type SummaryInput = v.InferOutput<typeof summarySchema>;
export type DetailsInput = v.InferOutput<typeof detailsSchema>;
