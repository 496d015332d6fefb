/**
 * Portals (MYOB's "Create client portals"): a named space over one or more entities, with an
 * administrator, a default "send as" sender, a default notify list and bulk task assignees. An
 * entity is in at most one portal: portal_entities.entity_id is its primary key, so the database
 * itself refuses a second. Members are not stored here: they are role bindings at the portal scope
 * (two new built-in contact roles), and since an actor's portal bindings cover the portal's
 * entities, every change to portal_entities moves the `permissions` counter as bindings do.
 */
import { countChangesOf, type MigrationDb, stopCountingChangesOf } from '../src/db/migration-helpers.js';

const PORTAL_ROLES: [id: string, name: string][] = [
  ['portal_full_access', 'Portal - Full access'],
  ['portal_contributor', 'Portal - Contributor'],
];

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('portals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // lower(trim(name)): "must be unique" whatever the case.
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('administrator_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('send_as_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('portal_entities')
    .addColumn('entity_id', 'text', (c) => c.primaryKey().references('entities.id').onDelete('cascade'))
    .addColumn('portal_id', 'text', (c) => c.notNull().references('portals.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('portal_entities_portal').on('portal_entities').column('portal_id').execute();
  for (const table of ['portal_notify', 'portal_bulk_assignees']) {
    await db.schema
      .createTable(table)
      .addColumn('portal_id', 'text', (c) => c.notNull().references('portals.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addPrimaryKeyConstraint(`${table}_pk`, ['portal_id', 'user_id'])
      .execute();
  }
  await countChangesOf(db, 'permissions', 'portal_entities');
  const now = Date.now();
  await db
    .insertInto('roles')
    .values(PORTAL_ROLES.map(([id, name]) => ({ id, name, kind: 'contact', built_in: 1, created_at: now })))
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.deleteFrom('role_bindings').where('scope_type', '=', 'portal').execute();
  await db
    .deleteFrom('roles')
    .where(
      'id',
      'in',
      PORTAL_ROLES.map(([id]) => id),
    )
    .execute();
  await stopCountingChangesOf(db, 'portal_entities');
  for (const table of ['portal_bulk_assignees', 'portal_notify', 'portal_entities', 'portals'])
    await db.schema.dropTable(table).execute();
}
