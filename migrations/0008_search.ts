/**
 * Indexes for the directory's "contains" search (src/http/search.ts), so that searching 20,000
 * entities or 100,000 contacts reads an index instead of every row; what a search matches does not
 * change. The database keeps them itself, so every write is covered (the app's, an import, an
 * operator's SQL):
 *  - SQLite: FTS5 tables with the `trigram` tokenizer (entity_search: name, reference, email;
 *    user_search: email, first name, last name, "first last"), kept by triggers. A row's FTS rowid
 *    is the rowid of its *_search_rows row (an INTEGER PRIMARY KEY, which VACUUM never renumbers,
 *    unlike the implicit rowid of entities and users).
 *  - PostgreSQL: pg_trgm GIN indexes on the same lower(...) expressions the LIKE search reads, used
 *    by the planner for `lower(x) LIKE '%term%'` as it stands. `create extension` needs a privilege
 *    a managed PostgreSQL may withhold: without the extension the migration leaves the indexes out
 *    and search still works, reading every row (the operator may create pg_trgm and run
 *    `npm run migrate` after a down migration, or create the indexes by hand as below).
 */
import { sql } from 'kysely';
import { isPostgres, type MigrationDb } from '../src/db/migration-helpers.js';

/** table → [index name, expression] */
const PG_INDEXES: Record<string, [string, string][]> = {
  entities: [
    ['entities_search_name', 'lower(name)'],
    ['entities_search_reference', 'lower(reference)'],
    ['entities_search_email', 'lower(email)'],
  ],
  users: [
    ['users_search_email', 'lower(email)'],
    ['users_search_first_name', 'lower(first_name)'],
    ['users_search_last_name', 'lower(last_name)'],
    ['users_search_full_name', "lower(first_name || ' ' || last_name)"],
  ],
};

/** The schema pg_trgm lives in, creating it in public when allowed; null when it is not there. */
async function trigramSchema(db: MigrationDb): Promise<string | null> {
  const installed = async () =>
    (
      await sql<{ schema: string }>`select n.nspname as schema from pg_extension x
        join pg_namespace n on n.oid = x.extnamespace where x.extname = 'pg_trgm'`.execute(db)
    ).rows[0]?.schema ?? null;
  const found = await installed();
  if (found) return found;
  // A savepoint, so a refusal (no privilege, not installed) or a race with another process
  // creating it leaves the migration's transaction usable.
  await sql`savepoint create_pg_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    await sql`release savepoint create_pg_trgm`.execute(db);
  } catch {
    await sql`rollback to savepoint create_pg_trgm`.execute(db);
  }
  return installed();
}

/** SQLite: the FTS table, its rowid map and the triggers that keep both, for one source table. */
async function sqliteIndex(
  db: MigrationDb,
  source: 'entities' | 'users',
  name: 'entity_search' | 'user_search',
  idColumn: 'entity_id' | 'user_id',
  columns: Record<string, string>,
): Promise<void> {
  const rows = `${name}_rows`;
  const names = Object.keys(columns).join(', ');
  const values = (row: 'new' | 's') =>
    Object.values(columns)
      .map((expr) => expr.replace(/\$/g, `${row}.`))
      .join(', ');
  const rowidOf = (row: 'new' | 'old') => `(select rowid from ${rows} where ${idColumn} = ${row}.id)`;
  const statements = [
    `create table ${rows} (rowid integer primary key, ${idColumn} text not null unique)`,
    `create virtual table ${name} using fts5(${names}, tokenize = 'trigram')`,
    `insert into ${rows} (${idColumn}) select id from ${source}`,
    `insert into ${name} (rowid, ${names}) select r.rowid, ${values('s')} from ${rows} r join ${source} s on s.id = r.${idColumn}`,
    `create trigger ${name}_insert after insert on ${source} begin
      insert into ${rows} (${idColumn}) values (new.id);
      insert into ${name} (rowid, ${names}) values (${rowidOf('new')}, ${values('new')});
    end`,
    `create trigger ${name}_update after update of ${Object.keys(columns)
      .filter((c) => c !== 'full_name')
      .join(', ')} on ${source} begin
      update ${name} set (${names}) = (${values('new')}) where rowid = ${rowidOf('new')};
    end`,
    `create trigger ${name}_delete after delete on ${source} begin
      delete from ${name} where rowid = ${rowidOf('old')};
      delete from ${rows} where ${idColumn} = old.id;
    end`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: MigrationDb): Promise<void> {
  if (isPostgres(db)) {
    const schema = await trigramSchema(db);
    if (!schema) return;
    for (const [table, indexes] of Object.entries(PG_INDEXES)) {
      for (const [index, expression] of indexes) {
        await sql`create index ${sql.ref(index)} on ${sql.table(table)}
          using gin ((${sql.raw(expression)}) ${sql.ref(schema)}.gin_trgm_ops)`.execute(db);
      }
    }
    return;
  }
  await sqliteIndex(db, 'entities', 'entity_search', 'entity_id', {
    name: '$name',
    reference: '$reference',
    email: '$email',
  });
  await sqliteIndex(db, 'users', 'user_search', 'user_id', {
    email: '$email',
    first_name: '$first_name',
    last_name: '$last_name',
    full_name: "$first_name || ' ' || $last_name",
  });
}

export async function down(db: MigrationDb): Promise<void> {
  if (isPostgres(db)) {
    for (const indexes of Object.values(PG_INDEXES))
      for (const [index] of indexes) await sql`drop index if exists ${sql.ref(index)}`.execute(db);
    return;
  }
  for (const name of ['entity_search', 'user_search']) {
    for (const event of ['insert', 'update', 'delete'])
      await sql.raw(`drop trigger ${name}_${event}`).execute(db);
    await sql.raw(`drop table ${name}`).execute(db);
    await sql.raw(`drop table ${name}_rows`).execute(db);
  }
}
