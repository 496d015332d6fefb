/**
 * The data set of `npm run bench:portal`: the directory of bench/directory-seed.ts (20,000
 * entities, 100,000 contacts, 500,000 role bindings) with every contact's Client portal switch on,
 * one contact (the subject) holding Contact - Entity Access at their client and two more entities,
 * with a session, and a "Go to Client Portal" link issued in bulk for each of `links` other
 * contacts who may sign in (one link a contact: a newer link voids the older). Tokens are made and
 * hashed by the app's own functions and only their SHA-256 is stored, as the app does. Rows go in
 * through Kysely; never point it at a database anyone cares about.
 */
import { createSession } from '../src/auth/sessions.js';
import { openDatabase } from '../src/db/connect.js';
import { generateLinkToken, hashToken } from '../src/kernel/tokens.js';
import { FULL, type SeededDirectory, seedDirectory } from './directory-seed.js';

export interface SeededPortal {
  directory: SeededDirectory;
  firmName: string;
  /** Their entities, by name as the portal lists them. */
  subject: { id: string; name: string; sessionToken: string; entities: { id: string; name: string }[] };
  /** Live links, one per contact, in no particular order. */
  tokens: string[];
  seedMs: number;
}

const ENTITY_ACCESS = 'contact_entity_access';

export async function seedPortal(dataDir: string, links: number): Promise<SeededPortal> {
  const started = performance.now();
  const directory = await seedDirectory(dataDir, FULL);
  const db = openDatabase(directory.databaseUrl);
  try {
    const now = Date.now();
    // Contacts who may sign in: Contact - Entity Access at an entity (not Associated-only).
    const contacts = await db
      .selectFrom('users as u')
      .innerJoin('role_bindings as b', 'b.user_id', 'u.id')
      .select(['u.id', 'u.email_normalized', 'u.first_name', 'u.last_name', 'b.scope_id'])
      .where('u.kind', '=', 'contact')
      .where('b.role_id', '=', ENTITY_ACCESS)
      .where('b.scope_type', '=', 'entity')
      .orderBy('u.id')
      .limit(links + 1)
      .execute();
    if (contacts.length < links + 1)
      throw new Error(`only ${contacts.length} contacts may sign in; ${links + 1} are needed`);
    const [subject, ...linked] = contacts;
    if (!subject) throw new Error('no contact to be the subject');
    const org = await db.selectFrom('organization').select('name').executeTakeFirstOrThrow();
    const more = await db
      .selectFrom('entities')
      .select(['id', 'name'])
      .where('id', '!=', subject.scope_id)
      .orderBy('id')
      .limit(2)
      .execute();
    const tokens = linked.map(() => generateLinkToken());

    await db.transaction().execute(async (trx) => {
      await trx.updateTable('contact_profiles').set({ portal_access: 1 }).execute();
      await trx
        .insertInto('role_bindings')
        .values(
          more.map((e, i) => ({
            id: `benchportal${i}`,
            role_id: ENTITY_ACCESS,
            user_id: subject.id,
            group_id: null,
            scope_type: 'entity' as const,
            scope_id: e.id,
            created_at: now,
            created_by: null,
          })),
        )
        .execute();
      // SQLite's 32,766 bound values, eight columns a row.
      for (let i = 0; i < linked.length; i += 4000) {
        await trx
          .insertInto('sign_in_links')
          .values(
            linked.slice(i, i + 4000).map((c, k) => ({
              id: hashToken(tokens[i + k]!),
              user_id: c.id,
              email_normalized: c.email_normalized,
              purpose: 'sign_in' as const,
              created_at: now,
              expires_at: now + 6 * 3_600_000,
              used_at: null,
              voided_at: null,
            })),
          )
          .execute();
      }
    });
    const session = await createSession(db, subject.id);
    return {
      directory,
      firmName: org.name,
      subject: {
        id: subject.id,
        name: `${subject.first_name} ${subject.last_name}`,
        sessionToken: session.token,
        entities: await db
          .selectFrom('entities')
          .select(['id', 'name'])
          .where('id', 'in', [subject.scope_id, ...more.map((e) => e.id)])
          .orderBy('name')
          .orderBy('id')
          .execute(),
      },
      tokens,
      seedMs: performance.now() - started,
    };
  } finally {
    await db.destroy();
  }
}
