import type { Db } from '../db/connect.js';
import type { ImportPreviewTable } from '../db/schema.js';
import type { ImportWhat } from './importer.js';

export const PREVIEW_LIFETIME_MS = 60 * 60 * 1000;

export interface Preview {
  id: string;
  fileName: string;
  content: string;
  validLines: number[];
}

const toPreview = (
  row: Pick<ImportPreviewTable, 'id' | 'file_name' | 'content' | 'valid_lines'>,
): Preview => ({
  id: row.id,
  fileName: row.file_name,
  content: row.content,
  validLines: JSON.parse(row.valid_lines) as number[],
});

/**
 * Keeps an upload until it is imported or expires. A session keeps one preview of each kind: a new
 * upload replaces the last one. Expired previews of anyone are removed on the way.
 */
export async function savePreview(
  db: Db,
  p: Preview & { sessionId: string; what: ImportWhat },
  now = Date.now(),
): Promise<void> {
  await db
    .deleteFrom('import_previews')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', now),
        eb.and([eb('session_id', '=', p.sessionId), eb('what', '=', p.what)]),
      ]),
    )
    .execute();
  await db
    .insertInto('import_previews')
    .values({
      id: p.id,
      session_id: p.sessionId,
      what: p.what,
      file_name: p.fileName,
      content: p.content,
      valid_lines: JSON.stringify(p.validLines),
      created_at: now,
      expires_at: now + PREVIEW_LIFETIME_MS,
    })
    .execute();
}

/** This session's preview of this kind, unless it expired. */
export async function findPreview(
  db: Db,
  where: { id: string; sessionId: string; what: ImportWhat },
  now = Date.now(),
): Promise<Preview | null> {
  const row = await db
    .selectFrom('import_previews')
    .select(['id', 'file_name', 'content', 'valid_lines'])
    .where('id', '=', where.id)
    .where('session_id', '=', where.sessionId)
    .where('what', '=', where.what)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? toPreview(row) : null;
}

/**
 * Takes the preview for importing: removes it and returns it, when it is this session's, of this
 * kind and not expired. Inside the import's transaction, so a second click of "Import" finds
 * nothing (on PostgreSQL it waits for the first, then finds nothing) and a refused import keeps it.
 */
export async function takePreview(
  trx: Db,
  where: { id: string; sessionId: string; what: ImportWhat },
  now = Date.now(),
): Promise<Preview | null> {
  const preview = await findPreview(trx, where, now);
  if (!preview) return null;
  const deleted = await trx.deleteFrom('import_previews').where('id', '=', preview.id).executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1 ? preview : null;
}

/** After a refused import the preview is shown again: the lines it now offers are these. */
export async function updateValidLines(db: Db, id: string, lines: readonly number[]): Promise<void> {
  await db
    .updateTable('import_previews')
    .set({ valid_lines: JSON.stringify(lines) })
    .where('id', '=', id)
    .execute();
}

function chunks<T>(values: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** Which of these normalized emails someone (staff or contact) already uses. */
export async function emailsTaken(db: Db, normalized: readonly string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const part of chunks([...new Set(normalized)])) {
    const rows = await db
      .selectFrom('users')
      .select('email_normalized')
      .where('email_normalized', 'in', part)
      .execute();
    for (const r of rows) taken.add(r.email_normalized);
  }
  return taken;
}

/** Which of these lower-cased references an entity already has. */
export async function referencesTaken(db: Db, lowered: readonly string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const part of chunks([...new Set(lowered)])) {
    const rows = await db
      .selectFrom('entities as e')
      .select((eb) => eb.fn<string>('lower', ['e.reference']).as('ref'))
      .where((eb) => eb(eb.fn('lower', ['e.reference']), 'in', part))
      .execute();
    for (const r of rows) taken.add(r.ref);
  }
  return taken;
}
