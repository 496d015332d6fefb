/**
 * Who holds a permission at an entity (`accessToEntity`, src/permissions/entity-roles.ts): the
 * rows behind "Who can see this?", one per binding, each saying where it was given (for every
 * entity, at the entity's portal, at the entity itself) and to whom (a person or a group).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessToEntity } from '../../src/permissions/entity-roles.js';
import { addBinding } from '../../src/permissions/queries.js';
import { DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildGroup,
  buildPortal,
  buildStaff,
} from '../helpers/factories.js';

describe.each(DIALECTS)('who holds a permission at an entity (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(dialect);
  });
  afterEach(() => t.close());

  it('lists each binding with where it was given and to whom, and none of another entity', async () => {
    const admin = await buildStaff(t.db, ['admin'], {
      firstName: 'Ada',
      lastName: 'Admin',
      email: 'ada@firm.example',
    });
    const entity = await buildEntity(t.db, 'Harbour Bakery');
    const other = await buildEntity(t.db, 'Other Pty');
    const viewer = await buildStaff(t.db, [], {
      firstName: 'Vic',
      lastName: 'Viewer',
      email: 'vic@firm.example',
    });
    await bindAtEntity(t.db, { userId: viewer.id }, 'viewer', entity);
    const elsewhere = await buildStaff(t.db, []);
    await bindAtEntity(t.db, { userId: elsewhere.id }, 'viewer', other);
    const group = await buildGroup(t.db, 'Bookkeeping', [viewer.id, elsewhere.id], ['viewer']);
    const portal = await buildPortal(t.db, 'Harbour portal', admin.id, [entity]);
    const contact = await buildContact(t.db, entity, {
      firstName: 'Cy',
      lastName: 'Client',
      email: 'cy@client.example',
    });
    await addBinding(
      t.db,
      { userId: contact.id },
      'portal_full_access',
      { type: 'portal', id: portal },
      null,
    );
    await bindAtEntity(t.db, { userId: contact.id }, 'contact_entity_access', entity);

    const rows = await accessToEntity(t.db, entity, 'entity.summary:R');
    const seen = rows.map(({ roleId, scope, portal: at, user, group: g }) => ({
      roleId,
      scope,
      at,
      user,
      group: g,
    }));
    expect(seen).toEqual([
      {
        roleId: 'admin',
        scope: 'system',
        at: null,
        user: { id: admin.id, name: 'Ada Admin', email: 'ada@firm.example', kind: 'staff' },
        group: null,
      },
      {
        roleId: 'viewer',
        scope: 'system',
        at: null,
        user: null,
        group: { id: group, name: 'Bookkeeping', kind: 'staff', members: 2 },
      },
      {
        roleId: 'portal_full_access',
        scope: 'portal',
        at: { id: portal, name: 'Harbour portal' },
        user: { id: contact.id, name: 'Cy Client', email: 'cy@client.example', kind: 'contact' },
        group: null,
      },
      {
        roleId: 'contact_entity_access',
        scope: 'entity',
        at: null,
        user: { id: contact.id, name: 'Cy Client', email: 'cy@client.example', kind: 'contact' },
        group: null,
      },
      {
        roleId: 'viewer',
        scope: 'entity',
        at: null,
        user: { id: viewer.id, name: 'Vic Viewer', email: 'vic@firm.example', kind: 'staff' },
        group: null,
      },
    ]);
  });
});
