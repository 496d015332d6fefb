/**
 * The Files section of a client's portal page (their latest files; the Files page,
 * src/files/portal-routes.tsx, shows them folder by folder): every file of the entity they are looking at that
 * they may read (all of them with Portal - Full access, else those shared with them, or inside a
 * folder shared with them) and that have passed the virus check, newest first, each a download,
 * an image's thumbnail a link to its preview, a PDF's to its pages.
 */
import { html } from 'hono/html';
import type { FC } from 'hono/jsx';
import { Form } from '../../views/forms.js';
import { DataTable, STACKED_ROWGROUP } from '../../views/table.js';
import type { Db } from '../db/connect.js';
import type { StoredFile } from '../db/schema.js';
import { markup } from '../http/render.js';
import { type Actor, idIn, readableInEntity } from '../permissions/index.js';
import { FROM_CLIENTS } from './client-uploads.js';
import { contentOf, previewHref, thumbnailShown, unmakeable } from './previews.js';
import { onlyClean } from './quarantine.js';
import { foldersUnderRoles } from './queries.js';
import { FileThumb } from './thumbs.js';
import { acceptAttribute, acceptedWords, sizeWords, type UploadLimits } from './upload.js';
import { SameNameChoice, UploadProgress, whenHtml } from './views.js';

/** The most a section lists; the rest wait for the portal's own Files page. */
const SHOWN = 200;

export async function portalFiles(db: Db, actor: Actor, entityId: string): Promise<StoredFile[]> {
  const readable = readableInEntity(actor, entityId, await foldersUnderRoles(db, actor, entityId));
  if (!readable.all && !readable.folderIds.length && !readable.fileIds.length) return [];
  // A portal lists what may be downloaded: nothing still being checked, whoever looks.
  let q = onlyClean(db.selectFrom('files').selectAll().where('entity_id', '=', entityId));
  if (!readable.all) {
    const { folderIds, fileIds } = readable;
    // `place` is the folder's id (migration 0017): the newest-first index holds it (0024).
    q = q.where((eb) => eb.or([idIn(db, 'place', folderIds), idIn(db, 'id', fileIds)]));
  }
  return q.orderBy('modified_at', 'desc').orderBy('id', 'desc').limit(SHOWN).execute();
}

/** The ids of `files` that show a thumbnail (the rest show their type's icon). */
export async function withThumbnails(db: Db, files: readonly StoredFile[]): Promise<Set<string>> {
  const failed = await unmakeable(
    db,
    files.map((f) => f.sha256),
    'thumbnail',
  );
  return new Set(files.filter((f) => thumbnailShown(contentOf(f), failed)).map((f) => f.id));
}

/**
 * The upload form, for a contact who may add files to the entity: into `folder` (the one they are
 * looking at on their Files page), or into "From clients" (from the top level or the portal home).
 */
export const PortalUpload: FC<{
  action: string;
  resumable: string;
  limits: UploadLimits;
  folder?: { id: string; name: string } | null;
}> = ({ action, resumable, limits, folder }) => (
  <Form
    action={action}
    enctype="multipart/form-data"
    class="stack upload-form"
    resumable={resumable}
    folder={folder?.id ?? null}
  >
    <div class="field">
      <label for="f-portal-files">Send files to the firm</label>
      <p class="hint" id="f-portal-files-hint">
        {acceptedWords(limits)} You can choose several. They go into{' '}
        {folder ? `this folder, “${folder.name}”` : `the “${FROM_CLIENTS}” folder`}.
      </p>
      <input
        id="f-portal-files"
        name="files"
        type="file"
        accept={acceptAttribute(limits)}
        multiple
        required
        aria-describedby="f-portal-files-hint"
      />
    </div>
    <SameNameChoice contact />
    <UploadProgress />
    <button type="submit">Upload</button>
  </Form>
);

interface Listed {
  files: readonly StoredFile[];
  thumbnails: ReadonlySet<string>;
  timeZone: string;
}

export const PortalFiles: FC<
  Listed & { upload: { action: string; resumable: string; limits: UploadLimits } | null; browse: string }
> = ({ upload, browse, ...listed }) => (
  <>
    {upload ? <PortalUpload {...upload} /> : null}
    <FileList {...listed} />
    {listed.files.length ? (
      <p>
        <a href={browse}>All files and folders</a>
      </p>
    ) : null}
  </>
);

const FileList: FC<Listed> = ({ files, thumbnails, timeZone }) =>
  files.length ? (
    <DataTable caption="Files shared with you" columns={['Name', 'Size', 'Updated']} stacked>
      <tbody {...STACKED_ROWGROUP}>
        {files.map((f) => {
          // Written with hono's `html` (escaping as JSX does): the section lists up to 200.
          const thumb = markup(<FileThumb file={f} shown={thumbnails.has(f.id)} href={previewHref(f)} />);
          const name = html`<span class="file-name">${thumb}<a href="/files/${f.id}/download" download>${f.name}</a></span>`;
          return html`<tr role="row"><td role="cell" data-label="Name">${name}</td><td role="cell" data-label="Size">${sizeWords(f.size)}</td><td role="cell" data-label="Updated">${whenHtml(f.modified_at, timeZone)}</td></tr>`;
        })}
      </tbody>
    </DataTable>
  ) : (
    <p>Nothing here yet.</p>
  );
