/**
 * Client Portal Notifications on an entity: whoever may edit its details chooses, among the staff
 * who can see it, who receives notices of client activity in it. Nobody else is offered or taken,
 * what is chosen is audited, and `notificationRecipients` (what the activities feature reads)
 * names only those who can still see the entity.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { notificationRecipients } from '../../src/notifications/service.js';
import { can, entityChain, loadActor, staffHoldingAtEntity } from '../../src/permissions/index.js';
import type { Client } from '../helpers/app.js';
import { fieldsetError } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildGroup,
  buildRole,
  buildStaff,
  buildUser,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

describe.each(DIALECTS)('Client Portal Notifications (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let entity: string;
  let other: string;
  /** Viewer at the entity. */
  let viewer: User;
  /** In a group holding Viewer at the entity. */
  let grouped: User;
  /** Viewer for every entity. */
  let everywhere: User;
  /** A custom role carrying the entity's summary. */
  let custom: User;
  /** Viewer at another entity only. */
  let elsewhere: User;
  /** Viewer at the entity, disabled. */
  let disabled: User;

  const path = () => `/entities/${entity}/notifications`;
  const save = (client: Client, ids: string[]) => client.post(path(), { recipients: ids });
  const stored = async () =>
    (
      await firm.db
        .selectFrom('entity_notify_recipients')
        .select('user_id')
        .where('entity_id', '=', entity)
        .execute()
    )
      .map((r) => r.user_id)
      .sort();

  beforeEach(async () => {
    entity = await buildEntity(firm.db, 'Clearwater Holdings');
    other = await buildEntity(firm.db, 'Harbour Trust');
    viewer = await buildStaff(firm.db, [], { firstName: 'Vera', lastName: 'Viewer' });
    await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', entity);
    grouped = await buildStaff(firm.db, [], { firstName: 'Greta', lastName: 'Grouped' });
    const group = await buildGroup(firm.db, 'Tax team', [grouped.id]);
    await bindAtEntity(firm.db, { groupId: group }, 'viewer', entity);
    everywhere = await buildStaff(firm.db, ['viewer'], { firstName: 'Eva', lastName: 'Everywhere' });
    const summaryOnly = await buildRole(firm.db, 'Summary reader', ['entity.summary:R']);
    custom = await buildStaff(firm.db, [], { firstName: 'Cus', lastName: 'Tom' });
    await bindAtEntity(firm.db, { userId: custom.id }, summaryOnly, entity);
    elsewhere = await buildStaff(firm.db, [], { firstName: 'Elsa', lastName: 'Where' });
    await bindAtEntity(firm.db, { userId: elsewhere.id }, 'viewer', other);
    disabled = await buildStaff(firm.db, [], { firstName: 'Dis', lastName: 'Abled', disabled: true });
    await bindAtEntity(firm.db, { userId: disabled.id }, 'viewer', entity);
  });

  it('offers exactly the enabled staff who can see the entity, as can says of each', async () => {
    const offered = (await staffHoldingAtEntity(firm.db, 'entity.summary:R', entity)).map((h) => h.id);
    expect(offered.sort()).toEqual([firm.admin.id, viewer.id, grouped.id, everywhere.id, custom.id].sort());
    // The same answer as loading each staff member in full and asking can.
    const staff = await firm.db.selectFrom('users').selectAll().where('kind', '=', 'staff').execute();
    for (const person of staff) {
      const sees =
        person.disabled_at === null &&
        can(await loadActor(firm.db, person), 'entity.summary:R', entityChain(entity));
      expect([person.first_name, offered.includes(person.id)]).toEqual([person.first_name, sees]);
    }
    const html = await (await (await signedIn(firm.app, firm.db, firm.admin)).get(path())).text();
    expect(html).toContain('<h1>Client Portal Notifications: Clearwater Holdings</h1>');
    expect(html).toContain('Vera Viewer');
    expect(html).toContain('Greta Grouped');
    expect(html).not.toContain('Elsa Where');
    expect(html).not.toContain('Dis Abled');
  });

  it('saves the ticked staff, audits before and after, and notificationRecipients names them', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const res = await save(client, [viewer.id, grouped.id]);
    expect([res.status, res.headers.get('Location')]).toEqual([303, `/entities/${entity}`]);
    expect(await stored()).toEqual([viewer.id, grouped.id].sort());
    const page = await (await client.get(path())).text();
    expect(page).toMatch(new RegExp(`<input type="checkbox"[^>]*value="${viewer.id}"[^>]*checked`));
    expect((await notificationRecipients(firm.db, entity)).map((h) => h.id).sort()).toEqual(
      [viewer.id, grouped.id].sort(),
    );

    await save(client, [everywhere.id]);
    expect(await stored()).toEqual([everywhere.id]);
    const audits = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'entity.notify_recipients_changed')
      .orderBy('at')
      .execute();
    expect(audits).toHaveLength(2);
    const last = audits.find((a) => (a.after_json ?? '').includes('Everywhere'));
    expect(JSON.parse(last?.before_json ?? '{}').recipients.sort()).toEqual([
      `Greta Grouped <${grouped.email}>`,
      `Vera Viewer <${viewer.email}>`,
    ]);
    expect(JSON.parse(last?.after_json ?? '{}')).toEqual({
      recipients: [`Eva Everywhere <${everywhere.email}>`],
    });
    expect(last?.object_id).toBe(entity);
  });

  it.each([
    ['a staff member of another entity', () => elsewhere.id],
    ['a disabled staff member', () => disabled.id],
    ['a contact', () => 'contact'],
    ['a made-up id', () => 'no-such-user'],
  ])('refuses %s beside the list, keeping what was ticked and writing nothing', async (_, idOf) => {
    const contact = await buildContact(firm.db, entity);
    const id = idOf() === 'contact' ? contact.id : idOf();
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const before = await snapshot(firm.db);
    const res = await save(client, [viewer.id, id]);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldsetError(html, 'recipients')).toBe('Choose from the staff listed.');
    expect(html).toMatch(new RegExp(`<input type="checkbox"[^>]*value="${viewer.id}"[^>]*checked`));
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('is changed by those who may share the entity or edit its details; others who see it are refused, the rest find nothing', async () => {
    // An Owner here shares it (Share S where they own), so chooses who hears of it.
    const owner = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: owner.id }, 'owner', entity);
    expect((await save(await signedIn(firm.app, firm.db, owner), [viewer.id])).status).toBe(303);
    // Editor carries neither Share nor entity.details:E; a custom role carrying the latter is enough.
    const plainEditor = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: plainEditor.id }, 'editor', entity);
    expect((await (await signedIn(firm.app, firm.db, plainEditor)).get(path())).status).toBe(403);
    const detailsEditor = await buildRole(firm.db, 'Details editor', [
      'entity.summary:R',
      'entity.details:R',
      'entity.details:E',
    ]);
    const editor = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: editor.id }, detailsEditor, entity);
    const asEditor = await signedIn(firm.app, firm.db, editor);
    expect(await (await asEditor.get(`/entities/${entity}`)).text()).toContain(
      `<a href="/entities/${entity}/notifications">Client Portal Notifications</a>`,
    );
    expect((await save(asEditor, [viewer.id])).status).toBe(303);

    const asViewer = await signedIn(firm.app, firm.db, viewer);
    const asElsewhere = await signedIn(firm.app, firm.db, elsewhere);
    const contact = await buildUser(firm.db, { kind: 'contact' });
    await bindAtEntity(firm.db, { userId: contact.id }, 'contact_entity_access', entity);
    const asContact = await signedIn(firm.app, firm.db, contact);
    expect(await (await asViewer.get(`/entities/${entity}`)).text()).not.toContain(
      'Client Portal Notifications',
    );
    const before = await snapshot(firm.db);
    expect((await asViewer.get(path())).status).toBe(403);
    expect((await save(asViewer, [])).status).toBe(403);
    expect((await save(asElsewhere, [])).status).toBe(404);
    expect((await asElsewhere.get(path())).status).toBe(404);
    expect((await asContact.get(path())).status).toBe(403);
    expect((await save(asContact, [])).status).toBe(403);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('notificationRecipients leaves out whoever can no longer see the entity or was disabled; rows go with the entity', async () => {
    await firm.db
      .insertInto('entity_notify_recipients')
      .values([viewer, grouped, everywhere].map((u) => ({ entity_id: entity, user_id: u.id, created_at: 0 })))
      .execute();
    await firm.db.deleteFrom('role_bindings').where('user_id', '=', viewer.id).execute();
    await firm.db
      .updateTable('users')
      .set({ disabled_at: Date.now() })
      .where('id', '=', grouped.id)
      .execute();
    expect((await notificationRecipients(firm.db, entity)).map((h) => h.id)).toEqual([everywhere.id]);
    await firm.db.deleteFrom('entities').where('id', '=', entity).execute();
    expect(await stored()).toEqual([]);
  });
});
