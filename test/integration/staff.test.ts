/**
 * Admins and Staff Admins manage staff: add (with a password or a one-time link), edit, roles,
 * disable; nobody grants what they do not hold, and the last Admin can never be lost.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { Client, fieldError, fieldsetError } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import { buildGroup, buildStaff, PASSWORD, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

const NEW = {
  firstName: 'Grace',
  lastName: 'Hopper',
  email: 'grace@clearwater.example',
  signIn: 'password',
  password: 'grace password 1',
};

describe.each(DIALECTS)('staff management (%s)', (dialect) => {
  const firm = useFirm(dialect, { admin: { firstName: 'Ada', lastName: 'Admin' } });
  let staffAdmin: User;

  beforeEach(async () => {
    staffAdmin = await buildStaff(firm.db, ['staff_admin'], { firstName: 'Sam', lastName: 'Staffadmin' });
  });

  const rolesOf = async (userId: string) =>
    (await firm.db.selectFrom('role_bindings').select('role_id').where('user_id', '=', userId).execute())
      .map((r) => r.role_id)
      .sort();

  it('an Admin adds a staff member with an initial password, who can then sign in; nothing is emailed', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const res = await client.post('/staff', { ...NEW, roles: ['settings_admin'] });
    expect(res.status).toBe(303);
    const user = await firm.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', NEW.email)
      .executeTakeFirstOrThrow();
    expect(await rolesOf(user.id)).toEqual(['settings_admin']);
    const signIn = await new Client(firm.app).post('/sign-in', { email: NEW.email, password: NEW.password });
    expect(signIn.status).toBe(303);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'user.created')
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(firm.admin.id);
    expect(JSON.parse(audit.after_json!)).toEqual({
      firstName: 'Grace',
      lastName: 'Hopper',
      email: NEW.email,
      roles: ['settings_admin'],
    });
  });

  it('a one-time set-password link is built from BASE_URL (never the Host header) and works once', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const res = await client.post(
      '/staff',
      { ...NEW, signIn: 'link', password: '' },
      { Host: 'evil.example' },
    );
    const html = await res.text();
    const link = html.match(/value="(http[^"]+\/set-password\/[a-z0-9]+)"/)?.[1];
    expect(link).toMatch(/^http:\/\/portico\.test\/set-password\/[a-z2-7]{32}$/);
    const path = new URL(link!).pathname;
    const stored = await firm.db.selectFrom('password_tokens').select('id').execute();
    expect(stored[0]!.id).not.toContain(path.split('/').pop());

    const grace = new Client(firm.app);
    expect(await (await grace.get(path)).text()).toContain(NEW.email);
    const set = await grace.post(path, { password: 'my own password!', passwordConfirm: 'my own password!' });
    expect(set.status).toBe(303);
    expect((await grace.get('/')).status).toBe(200);
    expect((await new Client(firm.app).get(path)).status).toBe(404);
    expect(
      (
        await new Client(firm.app).post(path, {
          password: 'another password!',
          passwordConfirm: 'another password!',
        })
      ).status,
    ).toBe(404);
  });

  it('refuses a duplicate email in any case, beside the email field, keeping what was typed', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const before = await snapshot(firm.db);
    const res = await client.post('/staff', { ...NEW, email: firm.admin.email.toUpperCase() });
    const html = await res.text();
    expect(res.status).toBe(422);
    expect(fieldError(html, 'f-email')).toBe('Someone already uses this email address.');
    expect(html).toContain('value="Grace"');
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('two people adding the same email at the same moment: one is added, the other told why, never a 500', async () => {
    const a = await signedIn(firm.app, firm.db, firm.admin);
    const b = await signedIn(firm.app, firm.db, staffAdmin);
    const statuses = (
      await Promise.all([a.post('/staff', NEW), b.post('/staff', { ...NEW, email: NEW.email.toUpperCase() })])
    )
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([303, 422]);
    expect(
      await firm.db.selectFrom('users').select('id').where('email_normalized', '=', NEW.email).execute(),
    ).toHaveLength(1);
  });

  it('refuses missing names and a short initial password beside each field', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const html = await (await client.post('/staff', { ...NEW, firstName: '', password: 'short' })).text();
    expect(fieldError(html, 'f-firstName')).toBe('Enter the first name.');
    expect(fieldError(html, 'f-password')).toBe('Use at least 12 characters.');
  });

  it('a Staff Admin may give Staff Admin but not Admin, and the Admin box is disabled for them', async () => {
    const client = await signedIn(firm.app, firm.db, staffAdmin);
    const form = await (await client.get('/staff/new')).text();
    expect(form).toMatch(/<input type="checkbox" id="f-roles-admin"[^>]*disabled/);
    expect(form).not.toMatch(/<input type="checkbox" id="f-roles-staff_admin"[^>]*disabled/);

    const before = await snapshot(firm.db);
    const res = await client.post('/staff', { ...NEW, roles: ['admin'] });
    expect(res.status).toBe(422);
    expect(fieldsetError(await res.text(), 'roles')).toBe(
      'You cannot give the Admin role: it carries permissions you do not hold.',
    );
    expect(await snapshot(firm.db)).toEqual(before);

    expect((await client.post('/staff', { ...NEW, roles: ['staff_admin'] })).status).toBe(303);
  });

  it('a Staff Admin cannot take over an Admin: no password, link, email change or disabling', async () => {
    const client = await signedIn(firm.app, firm.db, staffAdmin);
    const before = await snapshot(firm.db);
    for (const [path, body] of [
      [`/staff/${firm.admin.id}/password`, { password: 'taken over password' }],
      [`/staff/${firm.admin.id}/password-link`, {}],
      [`/staff/${firm.admin.id}/disable`, {}],
      [
        `/staff/${firm.admin.id}/summary`,
        { firstName: 'Ada', lastName: 'Admin', email: 'mine@evil.example' },
      ],
    ] as const) {
      const res = await client.post(path, body);
      expect([path, res.status]).toEqual([path, 422]);
    }
    expect(await snapshot(firm.db)).toEqual(before);
    // The Admin box is disabled for them (not offered in rolesShown), so leaving it out keeps it...
    const kept = await client.post(`/staff/${firm.admin.id}/roles`, {
      roles: [],
      rolesShown: ['staff_admin'],
    });
    expect(kept.status).toBe(303);
    expect(await rolesOf(firm.admin.id)).toEqual(['admin']);
    // ...and a forged form that claims to offer it is refused beside the roles.
    const forged = await client.post(`/staff/${firm.admin.id}/roles`, {
      roles: [],
      rolesShown: ['admin', 'staff_admin'],
    });
    expect(forged.status).toBe(422);
    expect(fieldsetError(await forged.text(), 'roles')).toBe(
      'You cannot take away the Admin role: it carries permissions you do not hold.',
    );
    expect(await rolesOf(firm.admin.id)).toEqual(['admin']);
  });

  it('the last Admin cannot be demoted or disabled, directly or through a group', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const demote = await client.post(`/staff/${firm.admin.id}/roles`, { roles: [] });
    expect(demote.status).toBe(422);
    expect(await demote.text()).toContain('Portico must always have at least one enabled Admin.');
    expect(await rolesOf(firm.admin.id)).toEqual(['admin']);

    const other = await buildStaff(firm.db, ['admin']);
    await firm.db.updateTable('users').set({ disabled_at: Date.now() }).where('id', '=', other.id).execute();
    expect((await client.post(`/staff/${firm.admin.id}/roles`, { roles: [] })).status).toBe(422);
    expect((await client.post(`/staff/${firm.admin.id}/disable`)).status).toBe(422);

    // Admin held only through a group: removing the member or deleting the group is refused too.
    const groupId = await buildGroup(firm.db, 'Partners', [firm.admin.id], ['admin']);
    await firm.db.deleteFrom('role_bindings').where('user_id', '=', firm.admin.id).execute();
    expect(
      (
        await client.post(`/groups/${groupId}`, {
          name: 'Partners',
          description: '',
          members: [],
          roles: ['admin'],
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await client.post(`/groups/${groupId}`, {
          name: 'Partners',
          description: '',
          members: [firm.admin.id],
          roles: [],
        })
      ).status,
    ).toBe(422);
    expect((await client.post(`/groups/${groupId}/delete`, { confirm: 'yes' })).status).toBe(422);
    expect(await firm.db.selectFrom('group_members').selectAll().execute()).toHaveLength(1);
  });

  it('two Admins demoting each other at the same moment leave one Admin, never none', async () => {
    const other = await buildStaff(firm.db, ['admin']);
    const mine = await signedIn(firm.app, firm.db, firm.admin);
    const theirs = await signedIn(firm.app, firm.db, other);
    const results = await Promise.all([
      mine.post(`/staff/${other.id}/roles`, { roles: [] }),
      theirs.post(`/staff/${firm.admin.id}/roles`, { roles: [] }),
    ]);
    // One wins; the other is refused by the last-Admin rule (422), or, when the winner committed
    // before the loser's request began, because the loser is no longer an Admin at all (404).
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(303);
    expect([404, 422]).toContain(statuses[1]);
    expect((await rolesOf(firm.admin.id)).length + (await rolesOf(other.id)).length).toBe(1);
  });

  it('an Admin can demote another Admin while one remains, and it is audited with before and after', async () => {
    const other = await buildStaff(firm.db, ['admin']);
    const client = await signedIn(firm.app, firm.db, firm.admin);
    expect((await client.post(`/staff/${other.id}/roles`, { roles: ['staff_admin'] })).status).toBe(303);
    expect(await rolesOf(other.id)).toEqual(['staff_admin']);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'user.roles_changed')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json!)).toEqual({ roles: ['admin'] });
    expect(JSON.parse(audit.after_json!)).toEqual({ roles: ['staff_admin'] });
  });

  it('disabling a staff member ends their sessions at once; they cannot sign in until enabled', async () => {
    const worker = await buildStaff(firm.db, []);
    const theirs = await signedIn(firm.app, firm.db, worker);
    expect((await theirs.get('/')).status).toBe(200);
    const client = await signedIn(firm.app, firm.db, staffAdmin);
    expect((await client.post(`/staff/${worker.id}/disable`)).status).toBe(303);
    expect((await theirs.get('/')).status).toBe(302);
    expect(
      (await new Client(firm.app).post('/sign-in', { email: worker.email, password: PASSWORD })).status,
    ).toBe(422);
    expect((await client.post(`/staff/${worker.id}/enable`)).status).toBe(303);
    expect(
      (await new Client(firm.app).post('/sign-in', { email: worker.email, password: PASSWORD })).status,
    ).toBe(303);
  });

  it('nobody can disable their own account', async () => {
    const client = await signedIn(firm.app, firm.db, staffAdmin);
    const res = await client.post(`/staff/${staffAdmin.id}/disable`);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('You cannot disable your own account.');
  });

  it('setting a password as an administrator signs the person out everywhere', async () => {
    const worker = await buildStaff(firm.db, []);
    const theirs = await signedIn(firm.app, firm.db, worker);
    const client = await signedIn(firm.app, firm.db, staffAdmin);
    expect(
      (await client.post(`/staff/${worker.id}/password`, { password: 'reset by firm.admin 1' })).status,
    ).toBe(303);
    expect((await theirs.get('/')).status).toBe(302);
  });

  it('edits a summary, refusing an email someone else uses', async () => {
    const worker = await buildStaff(firm.db, []);
    const client = await signedIn(firm.app, firm.db, staffAdmin);
    const clash = await client.post(`/staff/${worker.id}/summary`, {
      firstName: 'W',
      lastName: 'X',
      email: firm.admin.email,
    });
    expect(fieldError(await clash.text(), 'f-email')).toBe('Someone already uses this email address.');
    expect(
      (
        await client.post(`/staff/${worker.id}/summary`, {
          firstName: 'Wendy',
          lastName: 'Xu',
          email: 'wendy@example.com',
        })
      ).status,
    ).toBe(303);
    const row = await firm.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', worker.id)
      .executeTakeFirstOrThrow();
    expect([row.first_name, row.email_normalized]).toEqual(['Wendy', 'wendy@example.com']);
  });

  it('searches staff by name or email on the server and pages 25 at a time', async () => {
    for (let i = 0; i < 30; i++)
      await buildStaff(firm.db, [], {
        lastName: `Zed${String(i).padStart(2, '0')}`,
        email: `zed${i}@example.com`,
      });
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const page1 = await (await client.get('/staff?q=ZED')).text();
    expect(page1.match(/<tr><td><a href="\/staff\//g)).toHaveLength(25);
    expect(page1).toContain('Page 1 of 2 · 30 in all');
    const page2 = await (await client.get('/staff?q=zed&page=2')).text();
    expect(page2.match(/<tr><td><a href="\/staff\//g)).toHaveLength(5);
    const byEmail = await (await client.get('/staff?q=zed7@')).text();
    expect(byEmail).toContain('Zed07');
    expect(byEmail).toContain('1 in all');
    const wildcard = await (await client.get('/staff?q=%25')).text();
    expect(wildcard).toContain('0 in all');
  });

  it('answers an htmx search with just the results fragment', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const html = await (await client.get('/staff?q=ada', { 'HX-Request': 'true' })).text();
    expect(html.startsWith('<div id="staff-results">')).toBe(true);
    expect(html).not.toContain('<html');
  });

  it('shows Summary and Details each behind its own permission (a custom role with Staff - Summary R only)', async () => {
    await firm.db
      .insertInto('roles')
      .values({
        id: 'receptionist',
        name: 'Receptionist',
        kind: 'staff',
        built_in: 0,
        created_at: Date.now(),
      })
      .execute();
    await firm.db
      .insertInto('role_permissions')
      .values({ role_id: 'receptionist', object_type: 'staff.summary', letter: 'R' })
      .execute();
    const receptionist = await buildStaff(firm.db, ['receptionist']);
    const client = await signedIn(firm.app, firm.db, receptionist);
    const html = await (await client.get(`/staff/${firm.admin.id}`)).text();
    expect(html).toContain('<h2>Summary</h2>');
    // The address may wrap after its @ and dots (EmailAddress's <wbr>).
    expect(html.replaceAll('<wbr/>', '')).toContain(firm.admin.email);
    expect(html).not.toContain('<h2>Details</h2>');
    expect(html).not.toContain('Save summary');
    const full = await (
      await (await signedIn(firm.app, firm.db, staffAdmin)).get(`/staff/${firm.admin.id}`)
    ).text();
    expect(full).toContain('<h2>Details</h2>');
  });

  it('an unknown staff id answers 404', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    expect((await client.get('/staff/doesnotexist')).status).toBe(404);
    expect((await client.post('/staff/doesnotexist/disable')).status).toBe(404);
  });
});

describe.each(DIALECTS)('staff groups (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let staffAdmin: User;

  beforeEach(async () => {
    staffAdmin = await buildStaff(firm.db, ['staff_admin']);
  });

  it('creates a group with members and a role; members get the role on their next request', async () => {
    const worker = await buildStaff(firm.db, []);
    const theirs = await signedIn(firm.app, firm.db, worker);
    expect((await theirs.get('/settings')).status).toBe(403);
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const res = await client.post('/groups', {
      name: 'Office managers',
      description: 'Run the office',
      members: [worker.id],
      roles: ['settings_admin'],
    });
    expect(res.status).toBe(303);
    expect((await theirs.get('/settings')).status).toBe(200);
    const list = await (await client.get('/groups')).text();
    expect(list).toContain('Office managers');
    expect(list).toContain('Settings Admin');
  });

  it('refuses a duplicate name (any case) beside the name field', async () => {
    await buildGroup(firm.db, 'Tax team', []);
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const res = await client.post('/groups', { name: 'TAX TEAM', description: '' });
    expect(fieldError(await res.text(), 'f-name')).toBe('Another staff group already has this name.');
  });

  it('a Staff Admin cannot add people to a group that holds Admin', async () => {
    const groupId = await buildGroup(firm.db, 'Partners', [firm.admin.id], ['admin']);
    const client = await signedIn(firm.app, firm.db, staffAdmin);
    const before = await snapshot(firm.db);
    const res = await client.post(`/groups/${groupId}`, {
      name: 'Partners',
      description: '',
      members: [firm.admin.id, staffAdmin.id],
      roles: ['admin'],
    });
    expect(res.status).toBe(422);
    expect(fieldsetError(await res.text(), 'members')).toMatch(/You cannot change who is in this group/);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('refuses members who are not staff', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const res = await client.post('/groups', { name: 'Odd', description: '', members: ['nosuchuser'] });
    expect(fieldsetError(await res.text(), 'members')).toBe('Choose members only from the staff listed.');
    expect(await firm.db.selectFrom('groups').selectAll().execute()).toEqual([]);
  });

  it('deletes a group and records who was in it', async () => {
    const worker = await buildStaff(firm.db, []);
    const groupId = await buildGroup(firm.db, 'Temps', [worker.id]);
    const client = await signedIn(firm.app, firm.db, staffAdmin);
    // Without the box ticked, nothing goes, and the form says why beside the box.
    const before = await snapshot(firm.db);
    const unticked = await client.post(`/groups/${groupId}/delete`);
    expect(unticked.status).toBe(422);
    expect(fieldError(await unticked.text(), 'f-confirm')).toBe(
      'Tick the box to confirm that “Temps” should be deleted.',
    );
    expect(await snapshot(firm.db)).toEqual(before);
    expect((await client.post(`/groups/${groupId}/delete`, { confirm: 'yes' })).status).toBe(303);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'group.deleted')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json!).members).toEqual([worker.id]);
  });
});
