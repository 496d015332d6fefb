/**
 * The Files section of a client's portal page: every file of the entity they are looking at that
 * they may read (all of them with Portal - Full access, else those shared with them, or inside a
 * folder shared with them) and that have passed the virus check, newest first, each a download.
 */
import type { FC } from 'hono/jsx';
import { DataTable, STACKED_CELL, STACKED_ROW, STACKED_ROWGROUP } from '../../views/table.js';
import type { Db } from '../db/connect.js';
import type { StoredFile } from '../db/schema.js';
import { formatDateTime } from '../http/time.js';
import { type Actor, idIn, readableInEntity } from '../permissions/index.js';
import { onlyClean } from './quarantine.js';
import { foldersOfEntity } from './queries.js';
import { sizeWords } from './upload.js';

/** The most a section lists; the rest wait for the portal's own Files page. */
const SHOWN = 200;

export async function portalFiles(db: Db, actor: Actor, entityId: string): Promise<StoredFile[]> {
  const readable = readableInEntity(actor, entityId, await foldersOfEntity(db, entityId));
  if (!readable.all && !readable.folderIds.length && !readable.fileIds.length) return [];
  // A portal lists what may be downloaded: nothing still being checked, whoever looks.
  let q = onlyClean(db.selectFrom('files').selectAll().where('entity_id', '=', entityId));
  if (!readable.all) {
    const { folderIds, fileIds } = readable;
    q = q.where((eb) => eb.or([idIn(db, 'folder_id', folderIds), idIn(db, 'id', fileIds)]));
  }
  return q.orderBy('modified_at', 'desc').orderBy('id').limit(SHOWN).execute();
}

/** The upload form, for a contact who may add files to the entity. */
const PortalUpload: FC<{ action: string; maxBytes: number }> = ({ action, maxBytes }) => (
  <form method="post" action={action} enctype="multipart/form-data" class="stack upload-form">
    <div class="field">
      <label for="f-portal-files">Send files to the firm</label>
      <p class="hint" id="f-portal-files-hint">
        Up to {sizeWords(maxBytes)} each. You can choose several.
      </p>
      <input
        id="f-portal-files"
        name="files"
        type="file"
        multiple
        required
        aria-describedby="f-portal-files-hint"
      />
    </div>
    <button type="submit">Upload</button>
  </form>
);

export const PortalFiles: FC<{
  files: readonly StoredFile[];
  timeZone: string;
  upload: { action: string; maxBytes: number } | null;
}> = ({ files, timeZone, upload }) => (
  <>
    {upload ? <PortalUpload {...upload} /> : null}
    <FileList files={files} timeZone={timeZone} />
  </>
);

const FileList: FC<{ files: readonly StoredFile[]; timeZone: string }> = ({ files, timeZone }) =>
  files.length ? (
    <DataTable caption="Files shared with you" columns={['Name', 'Size', 'Updated']} stacked>
      <tbody {...STACKED_ROWGROUP}>
        {files.map((f) => (
          <tr {...STACKED_ROW}>
            <td {...STACKED_CELL} data-label="Name">
              <a href={`/files/${f.id}/download`} download>
                {f.name}
              </a>
            </td>
            <td {...STACKED_CELL} data-label="Size">
              {sizeWords(f.size)}
            </td>
            <td {...STACKED_CELL} data-label="Updated">
              <time datetime={new Date(f.modified_at).toISOString()}>
                {formatDateTime(f.modified_at, timeZone)}
              </time>
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  ) : (
    <p>Nothing here yet.</p>
  );
