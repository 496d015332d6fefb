/**
 * Seeds a fresh SQLite database for the benchmark, directly through the app's own modules (no
 * HTTP): migrations (the example plugin's too), the firm (organization row 1), an Admin holding the
 * system-scope 'admin' role, a staff directory, 500 clients, 100 contacts of whom 40 were invited
 * to the portal and 20 have signed in, a dozen lines in the example plugin's log, and a session for
 * the Admin whose token becomes the `portico_session` cookie. So each of the home page's three
 * panels has more than it shows. The connection is closed before the server under test opens the
 * same file.
 */

import type { Kysely } from 'kysely';
import { createSession } from '../src/auth/sessions.js';
import { type Db, openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { generateId } from '../src/kernel/tokens.js';
import { SYSTEM } from '../src/permissions/actor.js';
import { addBinding } from '../src/permissions/queries.js';
import { loadPlugins, migratePlugin } from '../src/plugins/index.js';

const FIRST = ['Alice', 'Bram', 'Chloe', 'Dev', 'Elif', 'Femi', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kiri'];
const LAST = ['Novak', 'Okafor', 'Park', 'Quinn', 'Rossi', 'Sato'];

/** What each of the home page's panels shows of the seed (they show at most five, five and three). */
export const HOME_PANELS = {
  'Recently changed clients': 5,
  'Portal invitations not yet accepted': 5,
  'Example log': 3,
} as const;

export interface Seeded {
  databaseUrl: string;
  sessionToken: string;
  adminFirstName: string;
  staffCount: number;
}

export async function seedDatabase(dataDir: string, extraStaff = 64): Promise<Seeded> {
  const databaseUrl = `sqlite:${dataDir}/portico.db`;
  const db = openDatabase(databaseUrl);
  try {
    await migrateToLatest(db);
    const now = Date.now();
    await db
      .insertInto('organization')
      .values({
        id: 1,
        name: 'Bench & Partners',
        entity_label: 'Client',
        time_zone: 'Europe/London',
        created_at: now,
        updated_at: now,
      })
      .execute();

    const staff = (first: string, last: string, n: number) => ({
      id: generateId(),
      kind: 'staff' as const,
      email: `${first}.${last}.${n}@bench.example`.toLowerCase(),
      email_normalized: `${first}.${last}.${n}@bench.example`.toLowerCase(),
      first_name: first,
      last_name: last,
      password_hash: null,
      disabled_at: null,
      created_at: now,
      updated_at: now,
    });
    const admin = staff('Ada', 'Admin', 0);
    const others = Array.from({ length: extraStaff }, (_, i) =>
      staff(FIRST[i % FIRST.length]!, LAST[i % LAST.length]!, i + 1),
    );
    await db
      .insertInto('users')
      .values([admin, ...others])
      .execute();

    await addBinding(db, { userId: admin.id }, 'admin', SYSTEM, null);
    // Some staff hold administrative roles too, so the Roles column is not all empty.
    for (const [i, u] of others.entries()) {
      if (i % 5 === 0) await addBinding(db, { userId: u.id }, 'staff_admin', SYSTEM, admin.id);
      if (i % 7 === 0) await addBinding(db, { userId: u.id }, 'settings_admin', SYSTEM, admin.id);
    }

    await seedClients(db, now);
    for (const { definition } of await loadPlugins(['example'], {})) await migratePlugin(db, definition);
    // Configured, as an Admin would on its settings page: until then its panel stays off.
    await db
      .insertInto('plugin_settings')
      .values({
        plugin_id: 'example',
        values_json: JSON.stringify({ footer: 'Bench & Partners' }),
        updated_at: now,
      })
      .execute();
    await (
      db as unknown as Kysely<{
        example_activity: { event_id: string; entity_id: string; entity_name: string; at: number };
      }>
    )
      .insertInto('example_activity')
      .values(
        (await db.selectFrom('entities').select(['id', 'name']).limit(12).execute()).map((e, i) => ({
          event_id: `bench-${i}`,
          entity_id: e.id,
          entity_name: e.name,
          at: now - i * 60_000,
        })),
      )
      .execute();

    const { token } = await createSession(db, admin.id);
    return { databaseUrl, sessionToken: token, adminFirstName: admin.first_name, staffCount: 1 + extraStaff };
  } finally {
    await db.destroy();
  }
}

/** 500 clients changed over the last days; 100 contacts, 40 invited to the portal, 20 of them since signed in. */
async function seedClients(db: Db, now: number): Promise<void> {
  const entities = Array.from({ length: 500 }, (_, i) => {
    const name = `${LAST[i % LAST.length]} ${['Holdings', 'Trust', 'Bakery', 'Partners', 'Pty'][i % 5]} ${i + 1}`;
    return {
      id: generateId(),
      name,
      name_normalized: name.toLowerCase(),
      kind: 'company' as const,
      reference: `C-${1000 + i}`,
      email: '',
      phone: '',
      tax_number: '',
      address: '',
      notes: '',
      created_at: now - 30 * DAY,
      updated_at: now - i * 3_600_000,
      created_by: null,
    };
  });
  for (let i = 0; i < entities.length; i += 100)
    await db
      .insertInto('entities')
      .values(entities.slice(i, i + 100))
      .execute();
  for (let i = 0; i < 100; i++) {
    const id = generateId();
    const email = `contact.${i}@client.example`;
    const invited = i < 40;
    await db
      .insertInto('users')
      .values({
        id,
        kind: 'contact',
        email,
        email_normalized: email,
        first_name: FIRST[i % FIRST.length]!,
        last_name: `${LAST[i % LAST.length]!}-${i}`,
        password_hash: null,
        disabled_at: null,
        created_at: now,
        updated_at: now,
        last_signed_in_at: invited && i % 2 === 0 ? now - DAY : null,
      })
      .execute();
    await db
      .insertInto('contact_profiles')
      .values({
        user_id: id,
        client_entity_id: entities[i]!.id,
        phone: '',
        address: '',
        notes: '',
        portal_access: invited ? 1 : 0,
      })
      .execute();
    await addBinding(
      db,
      { userId: id },
      'contact_entity_access',
      { type: 'entity', id: entities[i]!.id },
      null,
    );
    if (invited)
      await db
        .insertInto('sign_in_links')
        .values({
          id: generateId(),
          user_id: id,
          email_normalized: email,
          purpose: 'invitation',
          created_at: now - i * 60_000,
          expires_at: now + 7 * DAY,
          used_at: null,
        })
        .execute();
  }
}

const DAY = 24 * 60 * 60 * 1000;
