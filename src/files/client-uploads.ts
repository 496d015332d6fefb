/**
 * What a contact's upload becomes, whichever way it arrived (the portal's plain form, or a
 * resumable upload): files in the folder they were looking at in their portal, or in the entity's
 * "From clients" folder when they sent them from the top level or their portal home. A file of a
 * name already there is kept beside it, or, when they chose so and may change that file (File E, as
 * Contact - Editor or Owner), becomes its new version; a new file makes its uploader Contact - Owner.
 * Then one announcement (files.client_uploaded) so the firm's chosen staff are told. Runs inside the
 * caller's transaction, so the files and the announcement commit together or not at all.
 */
import type { Db } from '../db/connect.js';
import type { Folder } from '../db/schema.js';
import { emit } from '../host/index.js';
import { giveCreatorOwnership } from '../permissions/index.js';
import './events.js';
import { nameKey } from './names.js';
import * as service from './service.js';

/** Where a contact's uploads land in each entity. */
export const FROM_CLIENTS = 'From clients';

export async function addClientUploads(
  trx: Db,
  ctx: service.AddingCtx,
  entity: { id: string; name: string },
  uploads: service.Upload[],
  into: Folder | null = null,
  sameName: service.SameName = 'keep',
): Promise<{ id: string; name: string; checking?: boolean }[]> {
  const folder =
    into ??
    (await trx
      .selectFrom('folders')
      .selectAll()
      .where('entity_id', '=', entity.id)
      .where('place', '=', '')
      .where('name_key', '=', nameKey(FROM_CLIENTS))
      .executeTakeFirst()) ??
    (await service.createFolder(trx, ctx, { entityId: entity.id, folder: null }, FROM_CLIENTS));
  const files: { id: string; name: string; checking?: boolean }[] = [];
  for (const upload of uploads) {
    const added = await service.addUpload(trx, ctx, { entityId: entity.id, folder }, upload, sameName);
    // A new version leaves the file's roles as they were: its sender may change it, no more.
    if (added.version === 1) await giveCreatorOwnership(trx, ctx.actor.user.id, added.file.id);
    const checking = upload.scan === 'pending' ? { checking: true } : {};
    files.push({ id: added.file.id, name: service.addedLabel(added), ...checking });
  }
  const user = ctx.actor.user;
  await emit(trx, 'files.client_uploaded', {
    entityId: entity.id,
    entityName: entity.name,
    folderId: folder.id,
    uploader: { id: user.id, name: `${user.first_name} ${user.last_name}` },
    files,
  });
  return files;
}
