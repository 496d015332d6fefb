/**
 * Loading an actor (src/permissions/actor.ts): what it carries, and what it costs. Built-in roles
 * come from code and portals only matter to those bound to one, so a person with neither costs the
 * database nothing beyond their bindings; the loaded actor holds exactly their roles and portals.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadActor, loadPortalEntities, loadRolePermissions } from '../../src/permissions/actor.js';
import { addBinding } from '../../src/permissions/queries.js';
import { BUILT_IN_ROLES } from '../../src/permissions/roles.js';
import { counted, DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildPortal,
  buildRole,
  buildStaff,
} from '../helpers/factories.js';

describe.each(DIALECTS)('loading an actor (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(dialect);
  });
  afterEach(() => t.close());

  it('built-in roles cost no query; custom roles one, each present even with no letters', async () => {
    const db = counted(t.db);
    const builtIn = await loadRolePermissions(db.db, ['admin', 'contact_viewer', 'admin']);
    expect(builtIn).toEqual(
      new Map([
        ['admin', BUILT_IN_ROLES.admin.permissions],
        ['contact_viewer', BUILT_IN_ROLES.contact_viewer.permissions],
      ]),
    );
    expect(db.queries()).toBe(0);

    const reviewer = await buildRole(t.db, 'Reviewer', ['entity.summary:R', 'file:R']);
    const empty = await buildRole(t.db, 'Nothing yet', []);
    const mixed = await loadRolePermissions(db.db, ['viewer', reviewer, empty]);
    expect(mixed).toEqual(
      new Map<string, ReadonlySet<string>>([
        ['viewer', BUILT_IN_ROLES.viewer.permissions],
        [reviewer, new Set(['entity.summary:R', 'file:R'])],
        [empty, new Set()],
      ]),
    );
    expect(db.queries()).toBe(1);
  });

  it('no portal costs no query; each portal asked for is present, with its entities or none', async () => {
    const db = counted(t.db);
    expect(await loadPortalEntities(db.db, [])).toEqual(new Map());
    expect(db.queries()).toBe(0);

    const admin = await buildStaff(t.db, ['admin']);
    const a = await buildEntity(t.db, 'A Pty');
    const b = await buildEntity(t.db, 'B Pty');
    const two = await buildPortal(t.db, 'Two', admin.id, [a, b]);
    const none = await buildPortal(t.db, 'None', admin.id, []);
    expect(await loadPortalEntities(db.db, [two, none, two])).toEqual(
      new Map([
        [two, new Set([a, b])],
        [none, new Set()],
      ]),
    );
    expect(db.queries()).toBe(1);
  });

  it("carries the person's bindings, their roles' letters and their portals' entities, and nothing else", async () => {
    const admin = await buildStaff(t.db, ['admin']);
    const entity = await buildEntity(t.db, 'A Pty');
    const portal = await buildPortal(t.db, 'Portal', admin.id, [entity]);
    const contact = await buildContact(t.db, entity);
    await bindAtEntity(t.db, { userId: contact.id }, 'contact_entity_access', entity);
    await addBinding(
      t.db,
      { userId: contact.id },
      'portal_contributor',
      { type: 'portal', id: portal },
      null,
    );
    const actor = await loadActor(t.db, contact);
    expect(actor.bindings.map((b) => [b.roleId, b.scope]).sort()).toEqual(
      [
        ['contact_entity_access', { type: 'entity', id: entity }],
        ['portal_contributor', { type: 'portal', id: portal }],
      ].sort(),
    );
    expect([...actor.rolePermissions.keys()].sort()).toEqual(['contact_entity_access', 'portal_contributor']);
    expect(actor.portalEntities).toEqual(new Map([[portal, new Set([entity])]]));
  });
});
