/**
 * Seeds a fresh SQLite database with a firm's directory at scale, for `npm run bench:directory`:
 * entities, contacts (users of kind contact with a client entity), staff and contact groups with
 * members, custom roles and role bindings spread as a firm would hold them, and one measured staff
 * member (the subject) who sees exactly `subjectEntities` entities through entity-level roles, some
 * direct and some through groups. Rows go straight in through Kysely, in batched multi-row inserts
 * inside one transaction, after the app's own migrations. The data is drawn from a seeded random
 * generator, so every run builds the same directory. Nothing here goes through the app's services:
 * it must never be used on a database anyone cares about.
 */
import type { Insertable } from 'kysely';
import { createSession } from '../src/auth/sessions.js';
import { type Db, openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database, EntityKind } from '../src/db/schema.js';

export interface DirectorySize {
  entities: number;
  /** Contacts per entity is contacts / entities; each has a client entity. */
  contacts: number;
  /** Half staff groups, half contact groups. */
  groups: number;
  bindings: number;
  staff: number;
  /** How many entities the subject may see (entity.summary:R). */
  subjectEntities: number;
}

export const FULL: DirectorySize = {
  entities: 20_000,
  contacts: 100_000,
  groups: 2_000,
  bindings: 500_000,
  staff: 200,
  subjectEntities: 1_000,
};

/** The same shape at a twentieth of the size, to show the per-page query count does not grow. */
export const SMALL: DirectorySize = {
  entities: 1_000,
  contacts: 5_000,
  groups: 100,
  bindings: 25_000,
  staff: 20,
  subjectEntities: 50,
};

export interface SeededUser {
  id: string;
  kind: 'staff';
  email: string;
  first_name: string;
  last_name: string;
  sessionToken: string;
}

export interface SeededDirectory {
  databaseUrl: string;
  size: DirectorySize;
  seedMs: number;
  rows: Record<'entities' | 'contacts' | 'staff' | 'groups' | 'groupMembers' | 'bindings', number>;
  admin: SeededUser;
  subject: SeededUser;
  /** Entities the subject may see, and the same number they may not. */
  subjectVisible: string[];
  subjectHidden: string[];
  /** A search term for entities and one for contacts, with how many rows each matches for whom. */
  entityTerm: string;
  contactTerm: string;
  expected: {
    subjectEntities: number;
    subjectEntitiesMatching: number;
    subjectContacts: number;
    subjectContactsMatching: number;
    allContactsMatching: number;
    allEntitiesMatching: number;
  };
  /** A contact and an entity the subject may open. */
  sampleContact: { id: string; name: string };
  sampleEntity: { id: string; name: string };
}

/** mulberry32: small, fast and good enough to spread rows; the same seed gives the same directory. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = [
  'Novak',
  'Okafor',
  'Park',
  'Quinn',
  'Rossi',
  'Sato',
  'Adeyemi',
  'Bauer',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Horvat',
  'Ivanova',
  'Jansen',
  'Kowalski',
  'Larsen',
  'Moreau',
  'Nakamura',
  'Olsen',
  'Petrov',
  'Rahman',
  'Silva',
  'Tanaka',
  'Ueda',
  'Varga',
  'Weber',
  'Yilmaz',
  'Zhang',
  'Abbott',
  'Byrne',
  'Chandra',
  'Dimitrov',
  'Egan',
  'Fontaine',
  'Gallo',
  'Hughes',
  'Ito',
  'Jovanovic',
  'Kaur',
  'Lindqvist',
  'Mensah',
  'Nilsson',
  'Oduya',
  'Pereira',
  'Reyes',
  'Schmidt',
  'Toure',
  'Umarov',
  'Vidal',
  'Walsh',
  'Xu',
  'Yamada',
  'Zeller',
  'Acheampong',
  'Brennan',
  'Castillo',
  'Delgado',
  'Esposito',
];
const FIRST_NAMES = [
  'Alice',
  'Bram',
  'Chloe',
  'Dev',
  'Elif',
  'Femi',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kiri',
  'Lena',
  'Marco',
  'Nadia',
  'Omar',
  'Priya',
  'Rafael',
  'Sofia',
  'Tomas',
  'Uma',
  'Victor',
  'Wen',
  'Yara',
  'Zane',
  'Amara',
  'Boris',
  'Clara',
  'Diego',
  'Emma',
  'Farah',
  'Gustav',
  'Hana',
  'Ivan',
  'Julia',
  'Kofi',
  'Lucia',
  'Mateo',
  'Nina',
  'Oscar',
  'Pia',
];
const PLACES = [
  'Northgate',
  'Riverside',
  'Harbour',
  'Oakfield',
  'Westbrook',
  'Hillcrest',
  'Lakeview',
  'Stonebridge',
  'Ashford',
  'Brookside',
  'Cedar',
  'Fairview',
  'Glenmore',
  'Highbury',
  'Kingsway',
  'Meadow',
  'Parkside',
  'Redwood',
  'Seaview',
  'Thornbury',
  'Elmstead',
  'Foxley',
  'Greenhill',
  'Marlow',
  'Wexford',
  'Aldgate',
  'Bramley',
  'Cranford',
  'Dunmore',
  'Eastleigh',
  'Fenwick',
  'Grafton',
  'Hartley',
  'Ivybridge',
  'Kelso',
  'Linton',
  'Milford',
  'Newbury',
  'Oxley',
  'Penrose',
];
const SUFFIXES = [
  'Holdings',
  'Ltd',
  '& Sons',
  'Partners',
  'Trust',
  'Family Office',
  'Consulting',
  'Group',
  'Estates',
  'Foundation',
  'Ventures',
  'LLP',
];
const KINDS: EntityKind[] = ['company', 'company', 'company', 'individual', 'trust', 'partnership', 'other'];
const STAFF_ENTITY_ROLES = ['viewer', 'viewer', 'editor', 'editor', 'owner', 'entity_access'];
const CONTACT_ITEM_ROLES = ['contact_owner', 'contact_editor', 'contact_viewer'];
const STAFF_ITEM_ROLES = ['owner', 'editor', 'viewer'];

/** SQLite allows 32,766 bound values per statement; stay well under it. */
const MAX_VALUES = 30_000;

async function insertAll<T extends keyof Database & string>(
  db: Db,
  table: T,
  rows: Insertable<Database[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length;
  const batch = Math.max(1, Math.floor(MAX_VALUES / columns));
  for (let i = 0; i < rows.length; i += batch) {
    // Kysely cannot check a table name chosen at run time against its row type; the caller's can.
    await db
      .insertInto(table)
      .values(rows.slice(i, i + batch) as never)
      .execute();
  }
}

/** A deterministic 16-character id in the alphabet of generateId. */
function idMaker(rand: () => number): () => string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return () => {
    let s = '';
    for (let i = 0; i < 16; i++) s += alphabet[Math.floor(rand() * 32)];
    return s;
  };
}

export async function seedDirectory(dataDir: string, size: DirectorySize = FULL): Promise<SeededDirectory> {
  const started = performance.now();
  const databaseUrl = `sqlite:${dataDir}/portico.db`;
  const db = openDatabase(databaseUrl);
  const rand = random(20_000);
  const newId = idMaker(rand);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const now = Date.now();
  try {
    await migrateToLatest(db);
    const entityTerm = 'riverside';
    const contactTerm = 'okafor';

    const user = (kind: 'staff' | 'contact', first: string, last: string, n: number, domain: string) => {
      const email = `${first}.${last}.${n}@${domain}`.toLowerCase();
      return {
        id: newId(),
        kind,
        email,
        email_normalized: email,
        first_name: first,
        last_name: last,
        password_hash: null,
        password_set_by: null,
        disabled_at: null,
        created_at: now,
        updated_at: now,
      };
    };
    const admin = user('staff', 'Ada', 'Admin', 0, 'firm.example');
    const subject = user('staff', 'Sam', 'Subject', 0, 'firm.example');
    const staff = Array.from({ length: size.staff }, (_, i) =>
      user('staff', pick(FIRST_NAMES), pick(SURNAMES), i + 1, 'firm.example'),
    );

    const entities = Array.from({ length: size.entities }, (_, i) => {
      const surname = pick(SURNAMES);
      const place = pick(PLACES);
      const name = `${surname} ${place} ${pick(SUFFIXES)}`;
      return {
        id: newId(),
        name,
        name_normalized: name.toLowerCase(),
        kind: pick(KINDS),
        reference: `C-${String(i + 1).padStart(6, '0')}`,
        email: `office@${surname}-${place}.example`.toLowerCase(),
        phone: '',
        tax_number: '',
        address: '',
        notes: '',
        created_at: now,
        updated_at: now,
        created_by: admin.id,
      };
    });

    const contacts = Array.from({ length: size.contacts }, (_, i) =>
      user('contact', pick(FIRST_NAMES), pick(SURNAMES), i + 1, 'client.example'),
    );
    // Contacts are spread evenly over the entities, so entity i's contacts are i, i + E, i + 2E, …
    const clientOf = (contactIndex: number) => entities[contactIndex % size.entities]!;

    // The subject's entities: every (E / S)-th entity, so they are spread through the name order.
    const step = Math.floor(size.entities / size.subjectEntities);
    const visibleIdx = Array.from({ length: size.subjectEntities }, (_, i) => i * step);
    const visibleSet = new Set(visibleIdx);
    const hiddenIdx = Array.from({ length: size.entities }, (_, i) => i).filter((i) => !visibleSet.has(i));

    const staffGroupCount = Math.floor(size.groups / 2);
    const contactGroupCount = size.groups - staffGroupCount;
    const groups = [
      ...Array.from({ length: staffGroupCount }, (_, i) => ({ kind: 'staff' as const, n: i })),
      ...Array.from({ length: contactGroupCount }, (_, i) => ({ kind: 'contact' as const, n: i })),
    ].map(({ kind, n }) => {
      const name = kind === 'staff' ? `${pick(PLACES)} team ${n + 1}` : `${pick(SURNAMES)} contacts ${n + 1}`;
      return {
        id: newId(),
        kind,
        name,
        name_normalized: name.toLowerCase(),
        description: '',
        created_at: now,
        updated_at: now,
      };
    });
    const staffGroups = groups.slice(0, staffGroupCount);
    const contactGroups = groups.slice(staffGroupCount);
    // The subject's three groups are the first three staff groups.
    const subjectGroups = staffGroups.slice(0, 3);

    const members: Insertable<Database['group_members']>[] = [];
    for (const [g, group] of staffGroups.entries()) {
      const chosen = new Set<string>();
      if (g < subjectGroups.length) chosen.add(subject.id);
      while (chosen.size < Math.min(5, staff.length)) chosen.add(pick(staff).id);
      for (const userId of chosen) members.push({ group_id: group.id, user_id: userId, created_at: now });
    }
    // A contact group holds the contacts of one entity.
    const contactsPerEntity = Math.max(1, Math.floor(size.contacts / size.entities));
    const contactGroupEntity = (g: number) => hiddenIdx[(g * 7) % hiddenIdx.length]!;
    for (const [g, group] of contactGroups.entries()) {
      const e = contactGroupEntity(g);
      for (let k = 0; k < contactsPerEntity; k++) {
        const contact = contacts[e + k * size.entities];
        if (contact) members.push({ group_id: group.id, user_id: contact.id, created_at: now });
      }
    }

    // Custom roles: two staff roles (one sees entities, one only files) and one contact role.
    const customRole = (name: string, kind: 'staff' | 'contact', permissions: string[]) => ({
      role: { id: newId(), name, kind, built_in: 0, created_at: now },
      permissions: permissions.map((p) => {
        const [object_type, letter] = p.split(':') as [string, string];
        return { object_type, letter };
      }),
    });
    const bookkeeper = customRole('Bookkeeper', 'staff', ['entity.summary:R', 'file:R', 'file:C', 'file:E']);
    const filesClerk = customRole('Files clerk', 'staff', ['file:R', 'file:C']);
    const clientManager = customRole('Client manager', 'staff', [
      'entity.summary:R',
      'entity.details:R',
      'contact.summary:R',
      'contact.details:R',
    ]);
    const reviewer = customRole('Client reviewer', 'contact', ['entity.summary:R', 'file:R']);
    const customRoles = [bookkeeper, filesClerk, clientManager, reviewer];

    type Binding = Insertable<Database['role_bindings']>;
    const bindings: Binding[] = [];
    const bind = (
      principal: { user_id: string } | { group_id: string },
      role_id: string,
      scope_type: Binding['scope_type'],
      scope_id: string,
    ) =>
      bindings.push({
        id: newId(),
        role_id,
        user_id: 'user_id' in principal ? principal.user_id : null,
        group_id: 'group_id' in principal ? principal.group_id : null,
        scope_type,
        scope_id,
        created_at: now,
        created_by: admin.id,
      });

    bind({ user_id: admin.id }, 'admin', 'system', '');
    for (const [i, s] of staff.entries()) {
      if (i % 20 === 0) bind({ user_id: s.id }, 'entities_admin', 'system', '');
      if (i % 25 === 0) bind({ user_id: s.id }, 'staff_admin', 'system', '');
    }

    // The subject: direct roles on the first 65 % of their entities, three groups on the rest with
    // some overlap, a role that does not show entities on others, and roles on items.
    const at = (from: number, to: number) =>
      visibleIdx.slice(Math.floor(from * size.subjectEntities), Math.floor(to * size.subjectEntities));
    // Built-in roles at an entity do not show its contacts; Client manager does.
    const subjectRoles = [
      ...STAFF_ENTITY_ROLES,
      bookkeeper.role.id,
      clientManager.role.id,
      clientManager.role.id,
    ];
    const subjectSeesContactsAt = new Set<number>();
    const subjectRole = (e: number) => {
      const role = pick(subjectRoles);
      if (role === clientManager.role.id) subjectSeesContactsAt.add(e);
      return role;
    };
    for (const e of at(0, 0.65)) bind({ user_id: subject.id }, subjectRole(e), 'entity', entities[e]!.id);
    const groupSlices: [number, number][] = [
      [0.6, 0.8],
      [0.8, 0.95],
      [0.9, 1],
    ];
    for (const [g, [from, to]] of groupSlices.entries()) {
      for (const e of at(from, to))
        bind({ group_id: subjectGroups[g]!.id }, subjectRole(e), 'entity', entities[e]!.id);
    }
    const clerkOn = Math.floor(size.subjectEntities / 5);
    for (let k = 0; k < clerkOn; k++) {
      bind({ user_id: subject.id }, filesClerk.role.id, 'entity', entities[hiddenIdx[k * 3]!]!.id);
    }
    let item = 0;
    const itemId = () => `item${String(++item).padStart(8, '0')}`;
    for (let k = 0; k < clerkOn; k++) bind({ user_id: subject.id }, pick(STAFF_ITEM_ROLES), 'item', itemId());

    // Every contact holds an entity-level role at their client entity.
    for (const [i, c] of contacts.entries()) {
      const r = rand();
      const role =
        r < 0.77
          ? 'contact_entity_access'
          : r < 0.92
            ? 'contact_entity_collaborator'
            : r < 0.97
              ? reviewer.role.id
              : 'associated';
      bind({ user_id: c.id }, role, 'entity', clientOf(i).id);
    }
    // Each contact group collaborates at its entity.
    for (const [g, group] of contactGroups.entries()) {
      bind(
        { group_id: group.id },
        'contact_entity_collaborator',
        'entity',
        entities[contactGroupEntity(g)]!.id,
      );
    }
    // Every other staff group holds roles on 40 entities the subject does not see.
    const otherRoles = [...STAFF_ENTITY_ROLES, bookkeeper.role.id, filesClerk.role.id, clientManager.role.id];
    const spread = (count: number, into: (e: number) => void) => {
      const chosen = new Set<number>();
      while (chosen.size < Math.min(count, hiddenIdx.length)) chosen.add(pick(hiddenIdx));
      for (const e of chosen) into(e);
    };
    for (const group of staffGroups.slice(subjectGroups.length)) {
      spread(40, (e) => bind({ group_id: group.id }, pick(otherRoles), 'entity', entities[e]!.id));
    }

    // The rest: half as other staff's direct entity roles, half as roles on items (files and
    // activities to come), for contacts and staff.
    const remaining = size.bindings - bindings.length;
    if (remaining < 0) throw new Error(`the fixed bindings alone exceed ${size.bindings}`);
    const staffDirect = Math.floor(remaining / 2);
    const perStaff = Math.ceil(staffDirect / staff.length);
    let placed = 0;
    for (const s of staff) {
      const n = Math.min(perStaff, staffDirect - placed);
      spread(n, (e) => bind({ user_id: s.id }, pick(otherRoles), 'entity', entities[e]!.id));
      placed += n;
    }
    while (bindings.length < size.bindings) {
      if (rand() < 0.8) bind({ user_id: pick(contacts).id }, pick(CONTACT_ITEM_ROLES), 'item', itemId());
      else bind({ user_id: pick(staff).id }, pick(STAFF_ITEM_ROLES), 'item', itemId());
    }

    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('organization')
        .values({
          id: 1,
          name: 'Directory & Partners',
          entity_label: 'Client',
          time_zone: 'Europe/London',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await insertAll(trx, 'users', [admin, subject, ...staff, ...contacts]);
      await insertAll(trx, 'entities', entities);
      await insertAll(
        trx,
        'contact_profiles',
        contacts.map((c, i) => ({
          user_id: c.id,
          client_entity_id: clientOf(i).id,
          phone: '',
          address: '',
          notes: '',
        })),
      );
      await insertAll(trx, 'groups', groups);
      await insertAll(trx, 'group_members', members);
      await insertAll(
        trx,
        'roles',
        customRoles.map((r) => r.role),
      );
      await insertAll(
        trx,
        'role_permissions',
        customRoles.flatMap((r) => r.permissions.map((p) => ({ role_id: r.role.id, ...p }))),
      );
      await insertAll(trx, 'role_bindings', bindings);
    });

    const adminSession = await createSession(db, admin.id);
    const subjectSession = await createSession(db, subject.id);

    // What the pages must show, from the generated rows (independently of the app's SQL).
    const matches = (term: string, ...fields: string[]) => fields.some((f) => f.toLowerCase().includes(term));
    const entityMatches = (e: (typeof entities)[number]) => matches(entityTerm, e.name, e.reference, e.email);
    const contactMatches = (c: (typeof contacts)[number]) =>
      matches(contactTerm, c.email, c.first_name, c.last_name, `${c.first_name} ${c.last_name}`);
    const subjectContacts = contacts.filter((_, i) => subjectSeesContactsAt.has(i % size.entities));

    return {
      databaseUrl,
      size,
      seedMs: performance.now() - started,
      rows: {
        entities: entities.length,
        contacts: contacts.length,
        staff: staff.length + 2,
        groups: groups.length,
        groupMembers: members.length,
        bindings: bindings.length,
      },
      admin: { ...admin, kind: 'staff', sessionToken: adminSession.token },
      subject: { ...subject, kind: 'staff', sessionToken: subjectSession.token },
      subjectVisible: visibleIdx.map((e) => entities[e]!.id),
      subjectHidden: hiddenIdx.slice(0, size.subjectEntities).map((e) => entities[e]!.id),
      entityTerm,
      contactTerm,
      expected: {
        subjectEntities: visibleIdx.length,
        subjectEntitiesMatching: visibleIdx.filter((e) => entityMatches(entities[e]!)).length,
        subjectContacts: subjectContacts.length,
        subjectContactsMatching: subjectContacts.filter(contactMatches).length,
        allContactsMatching: contacts.filter(contactMatches).length,
        allEntitiesMatching: entities.filter(entityMatches).length,
      },
      sampleContact: {
        id: subjectContacts[0]!.id,
        name: `${subjectContacts[0]!.first_name} ${subjectContacts[0]!.last_name}`,
      },
      sampleEntity: { id: entities[visibleIdx[0]!]!.id, name: entities[visibleIdx[0]!]!.name },
    };
  } finally {
    await db.destroy();
  }
}
