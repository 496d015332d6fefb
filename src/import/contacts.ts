/**
 * Importing contacts: each row is checked with the Add contact form's schemas, its client resolved
 * exactly as the form resolves it (so a client the importer may not see reads as one that does not
 * exist, and one they may not put contacts in is refused), and written with the same service.
 * One email is one person: an email used by anyone already, or twice in the file, is refused.
 */
import {
  type ContactSummary,
  createContact,
  type DetailsInput,
  detailsSchema,
  resolveClient,
  summarySchema,
} from '../contacts/index.js';
import { validate } from '../http/forms.js';
import { normalizeEmail } from '../kernel/names.js';
import { emailTakenError } from '../people/index.js';
import { can, canAnywhere, contactChain, Forbidden, requireStaff } from '../permissions/index.js';
import { type CheckedRow, columnErrors, type Importer, sameAs, sameValueLines } from './importer.js';
import { emailsTaken } from './queries.js';
import type { TableRow } from './table.js';

type ContactValue = { summary: ContactSummary; details: DetailsInput | undefined };

const DETAILS_COLUMNS = ['phone', 'address', 'notes'] as const;

const summaryOf = (v: Record<string, string>) => ({
  firstName: v.first_name ?? '',
  lastName: v.last_name ?? '',
  email: v.email ?? '',
  client: v.client ?? '',
});

const detailsOf = (v: Record<string, string>) => ({
  phone: v.phone ?? '',
  address: v.address ?? '',
  notes: v.notes ?? '',
});

const emailKey = (row: TableRow) => {
  const email = (row.values.email ?? '').trim();
  return email ? normalizeEmail(email) : '';
};

export const contactImporter: Importer<ContactValue> = {
  what: 'contacts',
  path: '/contacts/import',
  listPath: '/contacts',
  noun: () => ({ one: 'contact', many: 'contacts' }),
  columns: [
    { name: 'first_name', required: true, about: 'Their first name, up to 100 characters.' },
    { name: 'last_name', required: true, about: 'Their last name, up to 100 characters.' },
    {
      name: 'email',
      required: true,
      about: 'Their email address, which is their username: nobody else may use it already.',
    },
    {
      name: 'client',
      about:
        'The exact name or reference of the client entity they belong to. Left blank, none (which needs a firm-wide right).',
    },
    { name: 'phone', about: 'Details: a phone number, up to 50 characters.' },
    { name: 'address', about: 'Details: the address, up to 500 characters.' },
    { name: 'notes', about: 'Details: notes, up to 2,000 characters.' },
  ],
  shown: ['first_name', 'last_name', 'email', 'client'],

  authorize(c) {
    // As for the Add contact form: whether a row may go in its client entity is asked per row.
    const actor = requireStaff(c);
    if (!canAnywhere(actor, 'contact:C')) throw new Forbidden();
    return actor;
  },

  refused: (actor) =>
    canAnywhere(actor, 'contact.details:E')
      ? null
      : { names: DETAILS_COLUMNS, reason: 'You may not set the details of contacts.' },

  async check(db, actor, rows, w) {
    const sameEmail = sameValueLines(rows, emailKey);
    const taken = await emailsTaken(db, rows.map(emailKey).filter(Boolean));
    // Most files name a handful of clients many times: each is resolved once.
    const clients = new Map<string, ReturnType<typeof resolveClient>>();
    const clientOf = (typed: string) => {
      const key = typed.trim().toLowerCase();
      let found = clients.get(key);
      if (!found) {
        found = resolveClient(db, actor, typed, 'contact:C', w);
        clients.set(key, found);
      }
      return found;
    };

    const checked: CheckedRow<ContactValue>[] = [];
    for (const row of rows) {
      const input = summaryOf(row.values);
      const summary = validate(summarySchema, input);
      const errors = [
        ...(row.shapeError ? [row.shapeError] : []),
        ...(summary.ok
          ? []
          : columnErrors(summary.errors, {
              firstName: 'first_name',
              lastName: 'last_name',
              email: 'email',
              client: 'client',
            })),
      ];
      const others = sameEmail.get(row.line);
      if (summary.ok || !summary.errors.email) {
        if (others) errors.push(`email: ${sameAs(others, 'email address')}`);
        else if (taken.has(emailKey(row))) errors.push(`email: ${emailTakenError().message}`);
      }

      const client = summary.ok || !summary.errors.client ? await clientOf(input.client) : null;
      if (client && !client.ok) errors.push(`client: ${client.error}`);

      let details: DetailsInput | undefined;
      if (client?.ok) {
        const typed = detailsOf(row.values);
        const anyDetails = Object.values(typed).some((x) => x.trim() !== '');
        if (can(actor, 'contact.details:E', contactChain(client.client?.id ?? null))) {
          const parsed = validate(detailsSchema, typed);
          if (parsed.ok) details = parsed.value;
          else
            errors.push(
              ...columnErrors(parsed.errors, { phone: 'phone', address: 'address', notes: 'notes' }),
            );
        } else if (anyDetails) {
          const where = client.client ? `contacts in ${client.client.name}` : `contacts without a ${w.lower}`;
          errors.push(`You may not set the details (phone, address, notes) of ${where}.`);
        }
      }

      const ready = errors.length === 0 && summary.ok && client?.ok === true;
      checked.push({
        line: row.line,
        values: row.values,
        errors,
        value: ready ? { summary: { ...summary.value, client: client.client }, details } : null,
      });
    }
    return checked;
  },

  async write(trx, ctx, values) {
    for (const v of values) await createContact(trx, ctx, v.summary, v.details);
  },
};
