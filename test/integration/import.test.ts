/**
 * Importing entities and contacts from a CSV file: the preview writes no client data and names
 * every row's errors with the one-at-a-time forms' words; nothing is imported unless every row is
 * valid or the user chooses the valid rows; the import re-checks inside its transaction and writes
 * nothing when a row changed since the preview; permissions come from the permission module alone.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import type { User } from '../../src/db/schema.js';
import { type Client, fieldError, fileForm } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildRole,
  buildStaff,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

const ENTITIES = '/entities/import';
const CONTACTS = '/contacts/import';

/** Every table but the previews: what "writes nothing" means for client data. */
async function clientData(db: Db) {
  const { import_previews: _, ...rest } = await snapshot(db);
  return rest;
}

const upload = (client: Client, path: string, csv: string | Uint8Array, name = 'people.csv') =>
  client.post(path, fileForm(csv, name));

const previewId = (html: string) => {
  const id = html.match(/name="id" value="([^"]+)"/)?.[1];
  if (!id) throw new Error('no preview id on the page');
  return id;
};

/** The preview table as { line: errors }, an empty list for a row without errors. */
function rowErrors(html: string): Record<number, string[]> {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? '';
  const out: Record<number, string[]> = {};
  for (const row of body.split('<tr').slice(1)) {
    const line = Number(row.match(/<td>(\d+)<\/td>/)?.[1]);
    out[line] = [...row.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!.replaceAll('&quot;', '"'));
  }
  return out;
}

/** The template as sent, byte-order mark included (Response.text() would drop it). */
const template = async (client: Client, path: string) =>
  new TextDecoder('utf-8', { ignoreBOM: true }).decode(
    await (await client.get(`${path}/template.csv`)).arrayBuffer(),
  );

const buttons = (html: string) =>
  [...html.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map((m) => m[1]!.trim());

describe.each(DIALECTS)('CSV import (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let entitiesAdmin: User;
  let clearwater: string;
  let harbour: string;

  beforeEach(async () => {
    entitiesAdmin = await buildStaff(firm.db, ['entities_admin']);
    clearwater = await buildEntity(firm.db, 'Clearwater Holdings', { reference: 'CW-1' });
    harbour = await buildEntity(firm.db, 'Harbour Trust', { kind: 'trust', reference: 'HT-1' });
  });

  const entityRows = () =>
    firm.db
      .selectFrom('entities')
      .selectAll()
      .where('id', 'not in', [clearwater, harbour])
      .orderBy('name')
      .execute();
  const auditActions = async () =>
    (await firm.db.selectFrom('audit_events').select('action').execute()).map((e) => e.action).sort();

  describe('entities', () => {
    it('an Entities Admin imports a valid file: the preview writes nothing, then every row is added and audited', async () => {
      const client = await signedIn(firm.app, firm.db, entitiesAdmin);
      const page = await client.get(ENTITIES);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('enctype="multipart/form-data"');
      expect(html).toMatch(/<input id="f-file" name="file" type="file" accept=".csv,text\/csv"/);
      const download = await client.get(`${ENTITIES}/template.csv`);
      expect(download.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
      expect(download.headers.get('Content-Disposition')).toBe(
        'attachment; filename="entities-template.csv"',
      );
      expect(await template(client, ENTITIES)).toBe(
        '\uFEFFname,kind,reference,email,phone,tax_number,address,notes\r\n',
      );

      // BOM, CRLF, columns in another order and named loosely, quoted commas, quotes and line breaks.
      const csv =
        '\uFEFFReference,Name,Kind,Email,Address,Notes\r\n' +
        'AC-1,"Acme, Pty Ltd",Company,info@acme.example,"1 Main St\r\nSpringfield","Said ""hello"""\r\n' +
        ',Jane Smith,,,,\r\n' +
        'BT-9,Bell Family Trust,trust,,,\r\n';
      const before = await clientData(firm.db);
      const preview = await upload(client, ENTITIES, csv, 'clients.csv');
      expect(preview.status).toBe(200);
      const shown = await preview.text();
      expect(rowErrors(shown)).toEqual({ 2: [], 4: [], 5: [] });
      expect(shown).toContain(
        'clients.csv: 3 rows. <strong>3 valid</strong>, <strong>0 rows with errors</strong>',
      );
      expect(buttons(shown)).toContain('Import all 3 clients');
      expect(await clientData(firm.db)).toEqual(before);
      expect(await firm.db.selectFrom('import_previews').select('id').execute()).toHaveLength(1);

      const done = await client.post(`${ENTITIES}/confirm`, { id: previewId(shown), rows: 'all' });
      expect(done.status).toBe(303);
      expect(done.headers.get('Location')).toBe('/entities');
      expect(await (await client.get('/entities')).text()).toContain('Imported 3 clients.');
      expect(
        (await entityRows()).map((e) => [
          e.name,
          e.kind,
          e.reference,
          e.email,
          e.address,
          e.notes,
          e.created_by,
        ]),
      ).toEqual([
        [
          'Acme, Pty Ltd',
          'company',
          'AC-1',
          'info@acme.example',
          '1 Main St\r\nSpringfield',
          'Said "hello"',
          entitiesAdmin.id,
        ],
        ['Bell Family Trust', 'trust', 'BT-9', '', '', '', entitiesAdmin.id],
        ['Jane Smith', 'individual', '', '', '', '', entitiesAdmin.id],
      ]);
      expect(await auditActions()).toEqual([
        'entity.created',
        'entity.created',
        'entity.created',
        'import.completed',
      ]);
      const completed = await firm.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'import.completed')
        .executeTakeFirstOrThrow();
      expect(completed.object_label).toBe('clients.csv');
      expect(JSON.parse(completed.after_json ?? '{}')).toEqual({
        what: 'entities',
        rows: 3,
        imported: 3,
        leftOut: 0,
      });
      expect(await firm.db.selectFrom('import_previews').selectAll().execute()).toEqual([]);
    });

    it('a mixed file names each row’s errors in the forms’ words, and imports only when the valid rows are chosen', async () => {
      const client = await signedIn(firm.app, firm.db, entitiesAdmin);
      const csv = [
        'name,kind,reference,email',
        'Good One,company,G-1,',
        ',company,,',
        'Bad Kind,castle,,',
        'Bad Email,trust,,not-an-email',
        'Dup A,company,D-1,',
        'Dup B,company,d-1,',
        'Taken,company,cw-1,',
        `Long Ref,company,${'x'.repeat(51)},`,
        'Short,company',
        'Good Two,,,two@example.com',
      ].join('\n');
      const before = await clientData(firm.db);
      const preview = await upload(client, ENTITIES, csv);
      const html = await preview.text();
      expect(rowErrors(html)).toEqual({
        2: [],
        3: ['name: Enter the name.'],
        4: ['kind: Choose what kind of entity this is.'],
        5: ['email: Enter an email address like name@example.com, or leave it empty.'],
        6: ['reference: Line 7 has the same reference.'],
        7: ['reference: Line 6 has the same reference.'],
        8: ['reference: Another client already has the reference “cw-1”.'],
        9: ['reference: The reference must be at most 50 characters.'],
        10: ['This row has 2 values, and the header has 4 columns.'],
        11: [],
      });
      expect(html).toContain('<strong>2 valid</strong>, <strong>8 rows with errors</strong>');
      expect(buttons(html)).toContain('Import the 2 valid rows');
      expect(buttons(html)).not.toContain('Import all 2 clients');
      const id = previewId(html);

      // "Import all" was not offered: asked for anyway, it is refused and writes nothing.
      const refused = await client.post(`${ENTITIES}/confirm`, { id, rows: 'all' });
      expect(refused.status).toBe(409);
      expect(await clientData(firm.db)).toEqual(before);

      const done = await client.post(`${ENTITIES}/confirm`, { id, rows: 'valid' });
      expect(done.status).toBe(303);
      expect((await entityRows()).map((e) => [e.name, e.kind, e.email])).toEqual([
        ['Good One', 'company', ''],
        ['Good Two', 'individual', 'two@example.com'],
      ]);
      const completed = await firm.db
        .selectFrom('audit_events')
        .select('after_json')
        .where('action', '=', 'import.completed')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(completed.after_json ?? '{}')).toEqual({
        what: 'entities',
        rows: 10,
        imported: 2,
        leftOut: 8,
      });
    });

    it('a file that cannot be read is refused with one message beside the file field, writing nothing', async () => {
      const client = await signedIn(firm.app, firm.db, entitiesAdmin);
      const cases: [string | Uint8Array, string][] = [
        ['name,colour\nA,red\n', 'The file has a column this import does not know: “colour”.'],
        ['kind,reference\ncompany,X\n', 'The file needs a column “name”.'],
        ['name,Name\nA,B\n', 'The column “name” appears twice.'],
        ['name;kind\nA;company\n', 'The values must be separated by commas, and this file uses semicolons.'],
        ['', 'The file is empty.'],
        ['name,kind\r\n\r\n', 'The file has no rows under its header.'],
        ['name\n"Open\n', 'Line 2: a quoted value has no closing quote.'],
        [
          new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x43, 0x61, 0x66, 0xe9, 0x0a]),
          'The file is not UTF-8 text.',
        ],
        [
          `name\n${'A\n'.repeat(10_001)}`,
          'The file has 10,001 rows. Split it into files of at most 5 MB and 10,000 rows.',
        ],
        [`name\n${'x'.repeat(5 * 1024 * 1024)}\n`, 'The file is larger than 5 MB.'],
      ];
      const before = await snapshot(firm.db);
      for (const [csv, message] of cases) {
        const res = await upload(client, ENTITIES, csv);
        expect.soft([message, res.status]).toEqual([message, 422]);
        expect.soft(fieldError(await res.text(), 'f-file')).toContain(message);
      }
      const none = await client.post(ENTITIES, new FormData());
      expect(fieldError(await none.text(), 'f-file')).toBe('Choose a CSV file to upload.');
      expect(await snapshot(firm.db)).toEqual(before);
    });

    it('details columns are refused to someone who may not edit details, as the form would not offer them', async () => {
      const role = await buildRole(firm.db, 'Intake', ['entity:C', 'entity.summary:R']);
      const intake = await buildStaff(firm.db, [role]);
      const client = await signedIn(firm.app, firm.db, intake);
      expect(await template(client, ENTITIES)).toBe('\uFEFFname,kind,reference\r\n');
      const before = await snapshot(firm.db);
      const res = await upload(client, ENTITIES, 'name,email,notes\nA,a@example.com,x\n');
      expect(res.status).toBe(422);
      expect(fieldError(await res.text(), 'f-file')).toBe(
        'You may not set the details of clients. Remove the columns “email”, “notes” and upload the file again.',
      );
      expect(await snapshot(firm.db)).toEqual(before);
      const ok = await upload(client, ENTITIES, 'name\nA\n');
      const done = await client.post(`${ENTITIES}/confirm`, { id: previewId(await ok.text()), rows: 'all' });
      expect(done.status).toBe(303);
      expect((await entityRows()).map((e) => e.name)).toEqual(['A']);
    });

    it('staff without entity:C are refused every import route, and nothing changes', async () => {
      const viewer = await buildStaff(firm.db, ['viewer']);
      const client = await signedIn(firm.app, firm.db, viewer);
      const before = await snapshot(firm.db);
      expect((await client.get(ENTITIES)).status).toBe(403);
      expect((await client.get(`${ENTITIES}/template.csv`)).status).toBe(403);
      expect((await upload(client, ENTITIES, 'name\nA\n')).status).toBe(403);
      expect((await client.post(`${ENTITIES}/confirm`, { id: 'x', rows: 'all' })).status).toBe(403);
      expect(await snapshot(firm.db)).toEqual(before);
    });

    it('a row made invalid between preview and import refuses the whole import, writes nothing, and shows the rows again', async () => {
      const client = await signedIn(firm.app, firm.db, entitiesAdmin);
      const preview = await upload(client, ENTITIES, 'name,reference\nNew One,N-1\nNew Two,N-2\n');
      const id = previewId(await preview.text());
      // Someone else takes N-2 meanwhile.
      await buildEntity(firm.db, 'Elsewhere', { reference: 'N-2' });
      const before = await clientData(firm.db);
      const refused = await client.post(`${ENTITIES}/confirm`, { id, rows: 'all' });
      expect(refused.status).toBe(409);
      const html = await refused.text();
      expect(html).toContain('Nothing was imported: the rows are not as the preview showed them any more');
      expect(rowErrors(html)).toEqual({
        2: [],
        3: ['reference: Another client already has the reference “N-2”.'],
      });
      expect(buttons(html)).toContain('Import the 1 valid row');
      expect(await clientData(firm.db)).toEqual(before);
      // The preview shown again is the one confirmed next.
      expect((await client.post(`${ENTITIES}/confirm`, { id, rows: 'valid' })).status).toBe(303);
      expect((await entityRows()).map((e) => e.name)).toEqual(['Elsewhere', 'New One']);
    });

    it('a preview is its session’s alone, used once, and kept for an hour', async () => {
      const client = await signedIn(firm.app, firm.db, entitiesAdmin);
      const otherSession = await signedIn(firm.app, firm.db, entitiesAdmin);
      const id = previewId(await (await upload(client, ENTITIES, 'name\nOnce\n')).text());
      const before = await snapshot(firm.db);
      const elsewhere = await otherSession.post(`${ENTITIES}/confirm`, { id, rows: 'all' });
      expect(elsewhere.status).toBe(410);
      expect(fieldError(await elsewhere.text(), 'f-file')).toContain('This preview is no longer available');
      // A contacts import cannot take an entities preview either.
      expect((await client.post(`${CONTACTS}/confirm`, { id, rows: 'all' })).status).toBe(410);
      expect(await snapshot(firm.db)).toEqual(before);
      expect((await client.post(`${ENTITIES}/confirm`, { id, rows: 'all' })).status).toBe(303);
      expect((await client.post(`${ENTITIES}/confirm`, { id, rows: 'all' })).status).toBe(410);
      expect((await entityRows()).map((e) => e.name)).toEqual(['Once']);

      const late = previewId(await (await upload(client, ENTITIES, 'name\nLate\n')).text());
      await firm.db
        .updateTable('import_previews')
        .set({ expires_at: Date.now() - 1 })
        .execute();
      expect((await client.post(`${ENTITIES}/confirm`, { id: late, rows: 'all' })).status).toBe(410);
      expect((await entityRows()).map((e) => e.name)).toEqual(['Once']);
    });
  });

  describe('contacts', () => {
    let grace: User;
    beforeEach(async () => {
      grace = await buildContact(firm.db, clearwater, {
        firstName: 'Grace',
        lastName: 'Hopper',
        email: 'grace@example.com',
      });
    });
    const contactRows = () =>
      firm.db
        .selectFrom('users as u')
        .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
        .select(['u.first_name', 'u.email', 'cp.client_entity_id', 'cp.phone', 'cp.notes'])
        .where('u.id', '<>', grace.id)
        .orderBy('u.first_name')
        .execute();

    it('an Entities Admin imports contacts with their clients named by name or reference, each audited', async () => {
      const client = await signedIn(firm.app, firm.db, entitiesAdmin);
      expect(await template(client, CONTACTS)).toBe(
        '\uFEFFfirst_name,last_name,email,client,phone,address,notes\r\n',
      );
      const csv =
        'email,first_name,last_name,client,phone,notes\r\n' +
        'kath@example.com,Katherine,Johnson,cw-1,0400 000 000,"Prefers phone, mornings"\r\n' +
        'dorothy@example.com,Dorothy,Vaughan,harbour trust,,\r\n' +
        'mary@example.com,Mary,Jackson,,,\r\n';
      const before = await clientData(firm.db);
      const preview = await upload(client, CONTACTS, csv);
      const html = await preview.text();
      expect(rowErrors(html)).toEqual({ 2: [], 3: [], 4: [] });
      expect(await clientData(firm.db)).toEqual(before);
      expect(buttons(html)).toContain('Import all 3 contacts');
      const done = await client.post(`${CONTACTS}/confirm`, { id: previewId(html), rows: 'all' });
      expect(done.headers.get('Location')).toBe('/contacts');
      expect(await contactRows()).toEqual([
        {
          first_name: 'Dorothy',
          email: 'dorothy@example.com',
          client_entity_id: harbour,
          phone: '',
          notes: '',
        },
        {
          first_name: 'Katherine',
          email: 'kath@example.com',
          client_entity_id: clearwater,
          phone: '0400 000 000',
          notes: 'Prefers phone, mornings',
        },
        { first_name: 'Mary', email: 'mary@example.com', client_entity_id: null, phone: '', notes: '' },
      ]);
      expect(await auditActions()).toEqual([
        'contact.created',
        'contact.created',
        'contact.created',
        'import.completed',
      ]);
      expect(await (await client.get('/contacts')).text()).toContain('Imported 3 contacts.');
    });

    it('an email used twice in the file, or already by anyone (staff or contact), is an error on each such row', async () => {
      const client = await signedIn(firm.app, firm.db, entitiesAdmin);
      const csv = [
        'first_name,last_name,email,client',
        'Ann,One,ann@example.com,CW-1',
        'Ann,Again,ANN@example.com,CW-1',
        `Eve,Staff,${entitiesAdmin.email.toUpperCase()},CW-1`,
        'Grace,Twin,Grace@Example.com,CW-1',
        ',Nameless,bad-email,CW-1',
        'Ok,Fine,ok@example.com,CW-1',
      ].join('\r\n');
      const before = await clientData(firm.db);
      const html = await (await upload(client, CONTACTS, csv)).text();
      expect(rowErrors(html)).toEqual({
        2: ['email: Line 3 has the same email address.'],
        3: ['email: Line 2 has the same email address.'],
        4: ['email: Someone already uses this email address.'],
        5: ['email: Someone already uses this email address.'],
        6: ['first_name: Enter the first name.', 'email: Enter an email address like name@example.com.'],
        7: [],
      });
      expect(await clientData(firm.db)).toEqual(before);
      expect((await client.post(`${CONTACTS}/confirm`, { id: previewId(html), rows: 'valid' })).status).toBe(
        303,
      );
      expect((await contactRows()).map((r) => r.email)).toEqual(['ok@example.com']);
    });

    it('a client the importer may not see reads exactly like one that does not exist; one they see but may not put contacts in is refused', async () => {
      const manager = await buildStaff(firm.db);
      const role = await buildRole(firm.db, 'Client manager', [
        'contact:C',
        'contact.summary:R',
        'contact.summary:E',
        'entity.summary:R',
      ]);
      await bindAtEntity(firm.db, { userId: manager.id }, role, clearwater);
      const third = await buildEntity(firm.db, 'Third Party', { reference: 'TP-1' });
      await bindAtEntity(firm.db, { userId: manager.id }, 'entity_access', third);
      const client = await signedIn(firm.app, firm.db, manager);
      // No details permission anywhere: the template leaves those columns out.
      expect(await template(client, CONTACTS)).toBe('\uFEFFfirst_name,last_name,email,client\r\n');
      const csv = [
        'first_name,last_name,email,client',
        'In,Clearwater,in@example.com,Clearwater Holdings',
        'Not,Seen,notseen@example.com,Harbour Trust',
        'No,Such,nosuch@example.com,Nobody Ltd',
        'Seen,Only,seen@example.com,TP-1',
        'No,Client,noclient@example.com,',
      ].join('\n');
      const before = await clientData(firm.db);
      const html = await (await upload(client, CONTACTS, csv)).text();
      expect(rowErrors(html)).toEqual({
        2: [],
        3: ['client: No client is called “Harbour Trust”. Enter its exact name or reference.'],
        4: ['client: No client is called “Nobody Ltd”. Enter its exact name or reference.'],
        5: ['client: You cannot put contacts in Third Party.'],
        6: ['client: Enter the client this contact belongs to.'],
      });
      // A file with details columns is refused whole: this person may not set details anywhere.
      const details = await upload(
        client,
        CONTACTS,
        'first_name,last_name,email,phone\nA,B,ab@example.com,1\n',
      );
      expect(fieldError(await details.text(), 'f-file')).toBe(
        'You may not set the details of contacts. Remove the column “phone” and upload the file again.',
      );
      expect(await clientData(firm.db)).toEqual(before);
      expect((await client.post(`${CONTACTS}/confirm`, { id: previewId(html), rows: 'valid' })).status).toBe(
        303,
      );
      expect((await contactRows()).map((r) => [r.email, r.client_entity_id])).toEqual([
        ['in@example.com', clearwater],
      ]);
    });

    it('details are refused per row where the importer may not edit them, as the form would ignore them', async () => {
      const manager = await buildStaff(firm.db);
      const full = await buildRole(firm.db, 'Full', [
        'contact:C',
        'contact.summary:R',
        'contact.details:R',
        'contact.details:E',
        'entity.summary:R',
      ]);
      const summaryOnly = await buildRole(firm.db, 'Summary only', [
        'contact:C',
        'contact.summary:R',
        'entity.summary:R',
      ]);
      await bindAtEntity(firm.db, { userId: manager.id }, full, clearwater);
      await bindAtEntity(firm.db, { userId: manager.id }, summaryOnly, harbour);
      const client = await signedIn(firm.app, firm.db, manager);
      const csv = [
        'first_name,last_name,email,client,phone',
        'A,Clear,a@example.com,CW-1,111',
        'B,Harb,b@example.com,HT-1,222',
        'C,Harb,c@example.com,HT-1,',
      ].join('\n');
      const html = await (await upload(client, CONTACTS, csv)).text();
      expect(rowErrors(html)).toEqual({
        2: [],
        3: ['You may not set the details (phone, address, notes) of contacts in Harbour Trust.'],
        4: [],
      });
    });

    it('an email taken between preview and import refuses the whole import and writes nothing', async () => {
      const client = await signedIn(firm.app, firm.db, entitiesAdmin);
      const html = await (
        await upload(
          client,
          CONTACTS,
          'first_name,last_name,email\nA,One,a@example.com\nB,Two,b@example.com\n',
        )
      ).text();
      await buildContact(firm.db, null, { email: 'b@example.com' });
      const before = await clientData(firm.db);
      const res = await client.post(`${CONTACTS}/confirm`, { id: previewId(html), rows: 'all' });
      expect(res.status).toBe(409);
      expect(rowErrors(await res.text())).toEqual({
        2: [],
        3: ['email: Someone already uses this email address.'],
      });
      expect(await clientData(firm.db)).toEqual(before);
    });

    it('staff without contact:C anywhere are refused every contact import route', async () => {
      const reader = await buildStaff(firm.db, ['viewer']);
      const client = await signedIn(firm.app, firm.db, reader);
      const before = await snapshot(firm.db);
      expect((await client.get(CONTACTS)).status).toBe(403);
      expect((await upload(client, CONTACTS, 'first_name,last_name,email\nA,B,c@example.com\n')).status).toBe(
        403,
      );
      expect(await snapshot(firm.db)).toEqual(before);
    });
  });
});
