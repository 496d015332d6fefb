/**
 * Telling the firm a client uploaded files: the entity's Client Portal Notifications recipients and
 * the administrator of its portal (the MYOB seed: "if a client uploads a document straight into their
 * portal, the administrator will be notified") each get one email and one notification in the app
 * (naming that email, so its fate is shown beside it), written in the listener's delivery
 * transaction, so a retried delivery never sends or shows it twice.
 */
import type { Db } from '../db/connect.js';
import type { EventContext, Events } from '../host/index.js';
import { listOf } from '../kernel/names.js';
import { queueMail } from '../mail/send.js';
import { renderEmail } from '../mail/template.js';
import { notify } from './inbox.js';
import { notificationRecipients } from './service.js';

type Uploaded = Events['files.client_uploaded'];

/** The portal's administrator, when the entity is in a portal and they are still enabled staff. */
function portalAdministrator(db: Db, entityId: string) {
  return db
    .selectFrom('portal_entities as pe')
    .innerJoin('portals as p', 'p.id', 'pe.portal_id')
    .innerJoin('users as u', 'u.id', 'p.administrator_id')
    .select(['u.id', 'u.email', 'u.first_name'])
    .where('pe.entity_id', '=', entityId)
    .where('u.kind', '=', 'staff')
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

export function tellOfClientUpload(baseUrl: string) {
  return async (event: Uploaded, { db }: EventContext): Promise<void> => {
    const recipients = new Map<string, { email: string; first_name: string }>();
    for (const r of await notificationRecipients(db, event.entityId)) recipients.set(r.id, r);
    const administrator = await portalAdministrator(db, event.entityId);
    if (administrator) recipients.set(administrator.id, administrator);
    if (!recipients.size) return;
    const firm = (await db.selectFrom('organization').select('name').executeTakeFirst())?.name ?? 'Portico';
    const names = event.files.map((f) => f.name);
    const checking = event.files.filter((f) => f.checking).map((f) => f.name);
    const one = names.length === 1;
    for (const [id, person] of recipients) {
      const email = await renderEmail({
        firmName: firm,
        baseUrl,
        subject: `${event.uploader.name} uploaded ${one ? 'a file' : `${names.length} files`} to ${event.entityName}`,
        subjectNames: [event.uploader.name, event.entityName],
        greeting: `Hello ${person.first_name},`,
        paragraphs: [
          `${event.uploader.name} uploaded ${one ? names[0] : listOf(names)} to ${event.entityName} from the client portal.`,
          ...(checking.length
            ? [
                `${listOf(checking)} ${checking.length === 1 ? 'is' : 'are'} still being checked for viruses, and can be downloaded once the check passes.`,
              ]
            : []),
        ],
        action: {
          label: 'See the files',
          path: `/entities/${event.entityId}/files?folder=${event.folderId}`,
        },
        note: 'You receive this as one of the staff told of client activity for this client, or as its portal’s administrator.',
      });
      const mailJobId = await queueMail(db, { to: person.email, kind: 'client-upload', ...email });
      await notify(db, {
        userId: id,
        kind: 'client-upload',
        text: `${event.uploader.name} uploaded ${one ? names[0] : listOf(names)} to ${event.entityName}`,
        href: `/entities/${event.entityId}/files?folder=${event.folderId}`,
        mailJobId,
      });
    }
  };
}
