/** Reading entities. Queries never decide access: routes pass the permission module's filter in. */
import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Entity } from '../db/schema.js';
import { containsInsensitive, PAGE_SIZE, searchMatches, windowCount, withTotal } from '../http/search.js';

export interface EntityRow {
  id: string;
  name: string;
  kind: Entity['kind'];
  reference: string;
}

function matching(db: Db, visible: Expression<SqlBool>, q: string) {
  const base = db.selectFrom('entities as e').where(visible);
  if (!q) return base;
  return base.where(searchMatches(db, 'entity', 'e', q));
}

/**
 * One page of the entities `visible` lets through, in name order, and how many match in all. A
 * search is one statement: its matches come from the search index, so counting them beside the
 * page (`count(*) over ()`) costs little and saves running the filter and the search twice. The
 * whole list keeps a separate count: a window over every entity would cost the Admin's page 1
 * what the index-ordered page avoids.
 */
export async function listEntities(
  db: Db,
  options: { visible: Expression<SqlBool>; q: string; page: number },
): Promise<{ rows: EntityRow[]; total: number }> {
  const q = options.q.trim();
  const page = matching(db, options.visible, q)
    .select(['e.id', 'e.name', 'e.kind', 'e.reference'])
    .orderBy('e.name_normalized')
    .orderBy('e.id')
    .limit(PAGE_SIZE)
    .offset((options.page - 1) * PAGE_SIZE);
  const count = () =>
    matching(db, options.visible, q)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((c) => Number(c.n));
  if (q) return withTotal(await page.select(windowCount).execute(), options.page, count);
  const [rows, total] = await Promise.all([page.execute(), count()]);
  return { rows, total };
}

export function findEntity(db: Db, id: string): Promise<Entity | undefined> {
  return db.selectFrom('entities').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface EntityChoice {
  id: string;
  name: string;
  reference: string;
}

/** Of `ids`, the entities `visible` lets through (on `e.id`), by id. */
export async function entitiesById(
  db: Db,
  ids: readonly string[],
  visible: Expression<SqlBool>,
): Promise<Map<string, EntityChoice>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('entities as e')
    .select(['e.id', 'e.name', 'e.reference'])
    .where('e.id', 'in', [...new Set(ids)])
    .where(visible)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The ticked entities and the first page of those matching the search, all within `visible`. */
export async function entityChoices(
  db: Db,
  visible: Expression<SqlBool>,
  ticked: readonly string[],
  q: string,
): Promise<EntityChoice[]> {
  const term = q.trim();
  const [chosen, found] = await Promise.all([
    entitiesById(db, ticked, visible),
    term
      ? db
          .selectFrom('entities as e')
          .select(['e.id', 'e.name', 'e.reference'])
          .where(visible)
          .where((eb) =>
            eb.or([
              containsInsensitive(eb.ref('e.name'), term),
              containsInsensitive(eb.ref('e.reference'), term),
            ]),
          )
          .orderBy('e.name_normalized')
          .orderBy('e.id')
          .limit(PAGE_SIZE)
          .execute()
      : [],
  ]);
  return [...chosen.values(), ...found.filter((f) => !chosen.has(f.id))];
}

export interface RecentEntity extends EntityRow {
  updated_at: number;
}

/** The `limit` entities `visible` lets through (on `e.id`) that changed last, newest first. */
export function recentlyChanged(
  db: Db,
  visible: Expression<SqlBool>,
  limit: number,
): Promise<RecentEntity[]> {
  return db
    .selectFrom('entities as e')
    .where(visible)
    .select(['e.id', 'e.name', 'e.kind', 'e.reference', 'e.updated_at'])
    .orderBy('e.updated_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
}
