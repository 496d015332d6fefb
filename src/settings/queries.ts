/** The firm's one settings row. */
import type { Db } from '../db/connect.js';
import type { Organization } from '../db/schema.js';

/** Saves the settings and returns the row as it was, read in the same transaction (the audit's "before"). */
export async function updateOrganization(
  trx: Db,
  next: { firmName: string; entityLabel: Organization['entity_label']; timeZone: string },
): Promise<Organization> {
  const before = await trx
    .selectFrom('organization')
    .selectAll()
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('organization')
    .set({
      name: next.firmName,
      entity_label: next.entityLabel,
      time_zone: next.timeZone,
      updated_at: Date.now(),
    })
    .where('id', '=', 1)
    .execute();
  return before;
}
