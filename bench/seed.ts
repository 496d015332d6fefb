/**
 * Seeds a fresh SQLite database for the benchmark, directly through the app's own modules (no
 * HTTP): migrations, the firm (organization row 1), an Admin holding the system-scope 'admin' role,
 * a staff directory large enough that the home page shows a full 25-row table, and a session for
 * the Admin whose token becomes the `portico_session` cookie. The connection is closed before the
 * server under test opens the same file.
 */
import { createSession } from '../src/auth/sessions.js';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { generateId } from '../src/kernel/tokens.js';
import { SYSTEM } from '../src/permissions/actor.js';
import { addBinding } from '../src/permissions/queries.js';

const FIRST = ['Alice', 'Bram', 'Chloe', 'Dev', 'Elif', 'Femi', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kiri'];
const LAST = ['Novak', 'Okafor', 'Park', 'Quinn', 'Rossi', 'Sato'];

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

    const { token } = await createSession(db, admin.id);
    return { databaseUrl, sessionToken: token, adminFirstName: admin.first_name, staffCount: 1 + extraStaff };
  } finally {
    await db.destroy();
  }
}
