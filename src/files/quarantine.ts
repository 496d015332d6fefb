/**
 * Who sees content still waiting for its virus check (scan_status 'pending', src/files/scan.ts):
 * staff who may read the file see it, marked "Being checked"; contacts see nothing of it, and a
 * file of theirs answers as a missing one; nobody downloads it, alone or in a zip. Every query and
 * route that shows files asks here, so the rule lives in one place.
 */
import type { SelectQueryBuilder } from 'kysely';
import type { Database, ScanStatus } from '../db/schema.js';
import { type Actor, NotFound } from '../permissions/index.js';

/** Does this reader see files whose current content is still being checked? */
export function seesPending(actor: Actor): boolean {
  return actor.user.kind === 'staff';
}

/** Narrows a files query to files whose current content has passed: what may be listed to anyone. */
export function onlyClean<O>(
  q: SelectQueryBuilder<Database, 'files', O>,
): SelectQueryBuilder<Database, 'files', O> {
  return q.where('files.scan_status', '=', 'clean');
}

/**
 * May this content be served now? True when clean; false for staff (they are told it is being
 * checked); for anyone else NotFound, as for content that is not there.
 */
export function servable(actor: Actor, scan: ScanStatus): boolean {
  if (scan === 'clean') return true;
  if (!seesPending(actor)) throw new NotFound();
  return false;
}
