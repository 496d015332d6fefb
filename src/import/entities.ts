/**
 * Importing entities: each row is checked with the Add form's schemas (Summary, and Details when
 * the importer may edit details) and written with its service, so an imported entity is exactly
 * one added by hand, audit event included. References must be unique: within the file and among
 * the entities the importer can see (so the check reveals nothing they could not look up).
 */
import {
  createEntity,
  type DetailsInput,
  detailsSchema,
  ENTITY_KINDS,
  type SummaryInput,
  summarySchema,
} from '../entities/index.js';
import { validate } from '../http/forms.js';
import { authorize, can } from '../permissions/index.js';
import { type CheckedRow, columnErrors, type Importer, sameAs, sameValueLines } from './importer.js';
import { referencesTaken } from './queries.js';
import type { TableRow } from './table.js';

type EntityValue = { summary: SummaryInput; details: DetailsInput | undefined };

const DETAILS_COLUMNS = ['email', 'phone', 'tax_number', 'address', 'notes'] as const;

/** A blank kind is "individual", as the Add form preselects; labels ("Trust") are accepted too. */
function kindOf(typed: string): string {
  const t = typed.trim().toLowerCase();
  if (!t) return 'individual';
  const byLabel = Object.entries(ENTITY_KINDS).find(([, label]) => label.toLowerCase() === t);
  return byLabel ? byLabel[0] : t;
}

const summaryOf = (v: Record<string, string>) => ({
  name: v.name ?? '',
  kind: kindOf(v.kind ?? ''),
  reference: v.reference ?? '',
});

const detailsOf = (v: Record<string, string>) => ({
  email: v.email ?? '',
  phone: v.phone ?? '',
  taxNumber: v.tax_number ?? '',
  address: v.address ?? '',
  notes: v.notes ?? '',
});

const referenceKey = (row: TableRow) => (row.values.reference ?? '').trim().toLowerCase();

export const entityImporter: Importer<EntityValue> = {
  what: 'entities',
  path: '/entities/import',
  listPath: '/entities',
  noun: (w) => ({ one: w.lower, many: w.many.toLowerCase() }),
  columns: [
    { name: 'name', required: true, about: 'Its name, up to 150 characters.' },
    {
      name: 'kind',
      about: `One of ${Object.keys(ENTITY_KINDS).join(', ')}. Left blank, individual.`,
    },
    {
      name: 'reference',
      about: 'Your own code or number for it, up to 50 characters. Each reference may be used once.',
    },
    { name: 'email', about: 'Details: an email address.' },
    { name: 'phone', about: 'Details: a phone number, up to 50 characters.' },
    { name: 'tax_number', about: 'Details: a tax number, up to 50 characters.' },
    { name: 'address', about: 'Details: the address, up to 500 characters.' },
    { name: 'notes', about: 'Details: notes, up to 2,000 characters.' },
  ],
  shown: ['name', 'kind', 'reference'],

  authorize: (c) => authorize(c, 'entity:C'),

  refused: (actor, w) =>
    can(actor, 'entity.details:E')
      ? null
      : { names: DETAILS_COLUMNS, reason: `You may not set the details of ${w.many.toLowerCase()}.` },

  async check(db, actor, rows, w) {
    const withDetails = can(actor, 'entity.details:E');
    const sameReference = sameValueLines(rows, referenceKey);
    // Every entity's reference counts (they are unique in the database); creating entities is a
    // firm-wide right, so whoever imports them may know which references are in use.
    const taken = await referencesTaken(db, rows.map(referenceKey).filter(Boolean));
    return rows.map((row): CheckedRow<EntityValue> => {
      const summary = validate(summarySchema, summaryOf(row.values));
      const details = withDetails ? validate(detailsSchema, detailsOf(row.values)) : null;
      const errors = [
        ...(row.shapeError ? [row.shapeError] : []),
        ...(summary.ok
          ? []
          : columnErrors(summary.errors, { name: 'name', kind: 'kind', reference: 'reference' })),
        ...(details && !details.ok
          ? columnErrors(details.errors, {
              email: 'email',
              phone: 'phone',
              taxNumber: 'tax_number',
              address: 'address',
              notes: 'notes',
            })
          : []),
      ];
      const others = sameReference.get(row.line);
      if (others) errors.push(`reference: ${sameAs(others, 'reference')}`);
      else if (taken.has(referenceKey(row)))
        errors.push(
          `reference: Another ${w.lower} already has the reference “${row.values.reference?.trim()}”.`,
        );
      const ok = errors.length === 0 && summary.ok && (!details || details.ok);
      return {
        line: row.line,
        values: row.values,
        errors,
        value: ok ? { summary: summary.value, details: details?.ok ? details.value : undefined } : null,
      };
    });
  },

  async write(trx, ctx, values, w) {
    for (const v of values) await createEntity(trx, ctx, w, v.summary, v.details);
  },
};
