/**
 * policyFor: the map of actions a page shows. Every key is checked against `can` (or, for a
 * portal's visibility, against the SQL filter that lists portals) for actors who hold roles at the
 * system scope, at one entity, through a custom role, and for a contact, on objects inside and
 * outside what they hold; a few answers are spelled out so the comparison cannot pass by being empty.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type Actor,
  can,
  contactChain,
  entityChain,
  loadActor,
  mayManagePortal,
  policyFor,
  visiblePortals,
} from '../../src/permissions/index.js';
import { DIALECTS } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildPortal,
  buildRole,
  buildStaff,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

const shareAt = (actor: Actor, id: string) =>
  can(actor, 'entity:A', entityChain(id)) || can(actor, 'entity:S', entityChain(id));

describe.each(DIALECTS)('policyFor (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let a: string;
  let b: string;
  type Persona = 'admin' | 'owner' | 'viewer' | 'manager' | 'staffAdmin' | 'contact';
  let actors: Record<Persona, Actor>;
  let portals: { id: string; entityIds: string[] }[];

  beforeEach(async () => {
    a = await buildEntity(firm.db, 'Clearwater Holdings');
    b = await buildEntity(firm.db, 'Harbour Trust');
    const owner = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: owner.id }, 'owner', a);
    const viewer = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', a);
    const manager = await buildStaff(firm.db);
    const role = await buildRole(firm.db, 'Client manager', [
      'contact.summary:R',
      'contact.details:E',
      'entity:A',
    ]);
    await bindAtEntity(firm.db, { userId: manager.id }, role, a);
    const staffAdmin = await buildStaff(firm.db, ['staff_admin']);
    const contact = await buildContact(firm.db, a);
    await bindAtEntity(firm.db, { userId: contact.id }, 'contact_entity_collaborator', a);
    const people = { admin: firm.admin, owner, viewer, manager, staffAdmin, contact };
    actors = Object.fromEntries(
      await Promise.all(Object.entries(people).map(async ([k, u]) => [k, await loadActor(firm.db, u)])),
    ) as Record<Persona, Actor>;
    // An entity is in one portal at most: one over `a`, one over `b` and another, one over none.
    const c = await buildEntity(firm.db, 'Northwind Partners');
    portals = [];
    for (const entityIds of [[a], [b, c], []]) {
      const id = await buildPortal(firm.db, `Portal ${portals.length}`, firm.admin.id, entityIds);
      portals.push({ id, entityIds });
    }
  });

  it('answers each entity action exactly as can does', () => {
    for (const [name, actor] of Object.entries(actors)) {
      for (const id of [a, b]) {
        const chain = entityChain(id);
        expect(policyFor(actor, { type: 'entity', id }), `${name} at ${id}`).toEqual({
          readSummary: can(actor, 'entity.summary:R', chain),
          editSummary: can(actor, 'entity.summary:E', chain),
          readDetails: can(actor, 'entity.details:R', chain),
          editDetails: can(actor, 'entity.details:E', chain),
          delete: can(actor, 'entity:D', chain),
          share: shareAt(actor, id),
          chooseNotifyRecipients: shareAt(actor, id) || can(actor, 'entity.details:E', chain),
        });
      }
    }
  });

  it('answers each contact action exactly as can does, wherever the contact sits', () => {
    for (const [name, actor] of Object.entries(actors)) {
      for (const clientId of [a, b, null]) {
        const chain = contactChain(clientId);
        expect(policyFor(actor, { type: 'contact', clientId }), `${name} in ${clientId}`).toEqual({
          readSummary: can(actor, 'contact.summary:R', chain),
          editSummary: can(actor, 'contact.summary:E', chain),
          readDetails: can(actor, 'contact.details:R', chain),
          editDetails: can(actor, 'contact.details:E', chain),
          delete: can(actor, 'contact:D', chain),
        });
      }
    }
  });

  it('answers each staff action exactly as can does at the system scope', () => {
    for (const [name, actor] of Object.entries(actors)) {
      expect(policyFor(actor, { type: 'staff' }), name).toEqual({
        create: can(actor, 'staff:C'),
        readSummary: can(actor, 'staff.summary:R'),
        editSummary: can(actor, 'staff.summary:E'),
        readDetails: can(actor, 'staff.details:R'),
        editDetails: can(actor, 'staff.details:E'),
        disable: can(actor, 'staff:D'),
      });
    }
  });

  it('lets a portal be read exactly when the portal list shows it, and changed when mayManagePortal says so', async () => {
    for (const [name, actor] of Object.entries(actors)) {
      const listed = new Set(
        (
          await firm.db
            .selectFrom('portals as p')
            .select('p.id')
            .where(visiblePortals(firm.db, actor, 'p.id'))
            .execute()
        ).map((r) => r.id),
      );
      for (const portal of portals) {
        const manage = mayManagePortal(actor, portal.entityIds);
        expect(
          policyFor(actor, { type: 'portal', entityIds: portal.entityIds }),
          `${name} on [${portal.entityIds}]`,
        ).toEqual({ read: listed.has(portal.id), edit: manage, delete: manage });
      }
    }
  });

  it('is not empty: what each persona holds shows, and what they do not is refused', () => {
    const { admin, owner, viewer, manager, staffAdmin, contact } = actors;
    const entity = (actor: Actor, id: string) => policyFor(actor, { type: 'entity', id });
    expect(Object.values(entity(admin, b)).every(Boolean)).toBe(true);
    expect(entity(owner, a)).toMatchObject({
      readDetails: true,
      editDetails: false,
      share: true,
      chooseNotifyRecipients: true,
    });
    expect(Object.values(entity(owner, b)).some(Boolean)).toBe(false);
    expect(entity(viewer, a)).toMatchObject({ readSummary: true, editSummary: false, share: false });
    expect(entity(manager, a)).toMatchObject({ readSummary: false, share: true });
    expect(policyFor(manager, { type: 'contact', clientId: a })).toMatchObject({
      readSummary: true,
      editDetails: true,
      delete: false,
    });
    expect(policyFor(manager, { type: 'contact', clientId: b }).readSummary).toBe(false);
    expect(entity(contact, a)).toMatchObject({ readSummary: true, editSummary: false, share: false });
    expect(policyFor(staffAdmin, { type: 'staff' })).toMatchObject({ create: true, disable: true });
    expect(Object.values(policyFor(viewer, { type: 'staff' })).some(Boolean)).toBe(false);
    expect(policyFor(contact, { type: 'portal', entityIds: [a] }).read).toBe(false);
    expect(policyFor(viewer, { type: 'portal', entityIds: [a] })).toEqual({
      read: true,
      edit: false,
      delete: false,
    });
    expect(policyFor(viewer, { type: 'portal', entityIds: [b] }).read).toBe(false);
    expect(policyFor(admin, { type: 'portal', entityIds: [] })).toEqual({
      read: true,
      edit: true,
      delete: true,
    });
  });
});
