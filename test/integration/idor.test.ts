/**
 * Another entity's objects answer exactly like objects that do not exist. For someone who may do a
 * great deal at entity A (Owner, and a role carrying every contact letter there), every route that
 * takes the id of an entity or a contact is called with an id from entity B and with an id that
 * does not exist: the status and the page are the same, and nothing changes. Removing a role by a
 * binding id from entity B answers the same as a binding that does not exist.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { comparable } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildFile,
  buildRole,
  buildStaff,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { buildWorld, concrete, REQUIRED, routesOf, send, type World } from '../helpers/route-walk.js';

describe.each(DIALECTS)('ids from another entity (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let world: World;
  let person: User;
  let entityB: string;
  let contactB: string;
  let bindingB: string;
  let folderB: string;
  let fileB: string;

  beforeEach(async () => {
    world = await buildWorld(firm.db, firm.admin);
    entityB = await buildEntity(firm.db, 'Harbour Trust');
    contactB = (await buildContact(firm.db, entityB)).id;
    await bindAtEntity(firm.db, { userId: contactB }, 'contact_entity_access', entityB);
    const row = await firm.db
      .selectFrom('role_bindings')
      .select('id')
      .where('user_id', '=', contactB)
      .executeTakeFirstOrThrow();
    bindingB = row.id;
    ({ folder: folderB, file: fileB } = await buildFile(
      firm.db,
      entityB,
      'Harbour papers',
      'deed.txt',
      'deed',
    ));
    person = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: person.id }, 'owner', world.entity);
    const manager = await buildRole(firm.db, 'Contact manager', [
      'contact:C',
      'contact:D',
      'contact.summary:R',
      'contact.summary:E',
      'contact.details:R',
      'contact.details:E',
      'entity.summary:E',
      'entity.details:E',
      'entity:D',
    ]);
    await bindAtEntity(firm.db, { userId: person.id }, manager, world.entity);
  });

  it('every entity and contact route answers for entity B’s object exactly as for a missing one', async () => {
    const client = await signedIn(firm.app, firm.db, person);
    const routes = routesOf(firm.app).filter((r) => /^\/(entities|contacts|files|folders)\/:id/.test(r.path));
    expect(routes.map((r) => r.key).sort()).toEqual(
      Object.keys(REQUIRED)
        .filter((key) => /^\S+ \/(entities|contacts|files|folders)\/:id/.test(key))
        .sort(),
    );
    const ofB = { '/entities': entityB, '/contacts': contactB, '/files': fileB, '/folders': folderB };
    for (const route of routes) {
      const otherId = Object.entries(ofB).find(([prefix]) => route.path.startsWith(prefix))![1];
      const ownPath = concrete(route.path, world);
      const before = await snapshot(firm.db);
      const other = await send(client, route, world, route.path.replace(':id', otherId));
      const missing = await send(client, route, world, route.path.replace(':id', 'no-such-id'));
      expect.soft([route.key, other.status]).toEqual([route.key, missing.status]);
      expect.soft([route.key, [403, 404].includes(other.status)]).toEqual([route.key, true]);
      expect.soft(comparable(await other.text()), route.key).toBe(comparable(await missing.text()));
      expect(await snapshot(firm.db), `${route.key} changed the database`).toEqual(before);
      // The same route about their own entity's object is allowed (so the refusal above is about B).
      if (route.method === 'GET')
        expect.soft([ownPath, (await client.get(ownPath)).status]).toEqual([ownPath, 200]);
    }
  });

  it('a binding id from entity B, named on a page about entity A, is refused like one that does not exist', async () => {
    const client = await signedIn(firm.app, firm.db, person);
    const before = await snapshot(firm.db);
    for (const path of [
      `/entities/${world.entity}/access/revoke`,
      `/contacts/${world.contact}/entities/remove`,
      `/staff/${world.staff}/entities/remove`,
    ]) {
      const other = await client.post(path, { binding: bindingB });
      const missing = await client.post(path, { binding: 'no-such-binding' });
      expect([path, other.status, missing.status]).toEqual([path, 404, 404]);
      expect(comparable(await other.text())).toBe(comparable(await missing.text()));
    }
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('naming entity B among entities to share answers as for a missing entity, for the whole request', async () => {
    const client = await signedIn(firm.app, firm.db, person);
    const before = await snapshot(firm.db);
    const path = `/staff/${world.staff}/entities`;
    const other = await client.post(path, { entities: [world.entity, entityB], role: 'viewer' });
    const missing = await client.post(path, { entities: [world.entity, 'no-such-entity'], role: 'viewer' });
    expect([other.status, missing.status]).toEqual([422, 422]);
    expect(comparable(await other.text())).toBe(comparable(await missing.text()));
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('naming entity B’s contact on entity A’s Share in Client Portal answers as for a missing contact', async () => {
    const client = await signedIn(firm.app, firm.db, person);
    const before = await snapshot(firm.db);
    const path = `/entities/${world.entity}/client-portal`;
    const post = (id: string) =>
      client.post(path, { contacts: [world.contact, id], contactsShown: [world.contact, id] });
    const other = await post(contactB);
    const missing = await post('no-such-contact');
    expect([other.status, missing.status]).toEqual([422, 422]);
    expect(comparable(await other.text())).toBe(comparable(await missing.text()));
    expect(await snapshot(firm.db)).toEqual(before);
  });
});
