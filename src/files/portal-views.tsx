/** A contact's Files page in their portal (one folder at a time), and one file's page there. */
import type { FC } from 'hono/jsx';
import { ConfirmDelete } from '../../views/confirm-delete.js';
import { Field, type FieldErrors, Form } from '../../views/forms.js';
import { STACKED_CELL, STACKED_ROW } from '../../views/table.js';
import type { Folder, StoredFile } from '../db/schema.js';
import { PortalUpload } from './portal-section.js';
import type { Sort } from './queries.js';
import { FileThumb } from './thumbs.js';
import { sizeWords, type UploadLimits } from './upload.js';
import {
  type Crumb,
  Crumbs,
  type FileView,
  FolderListing,
  listingHref,
  Preview,
  When,
  who,
} from './views.js';

/** A folder of the entity in the portal (null: the top level). */
export const portalFolderHref = (
  entityId: string,
  folderId: string | null,
  extra: Record<string, string> = {},
) => listingHref(`/portal/entities/${entityId}/files`, folderId, extra);

const BackToPortal: FC<{ entity: { id: string; name: string } }> = ({ entity }) => (
  <p>
    <a href={`/portal?entity=${entity.id}`}>Back to {entity.name}</a>
  </p>
);

export interface PortalFolderView {
  entity: { id: string; name: string };
  folder: Folder | null;
  crumbs: readonly Crumb[];
  folders: readonly Folder[];
  files: readonly StoredFile[];
  total: number;
  totalIsAtLeast: boolean;
  page: number;
  sort: Sort;
  descending: boolean;
  thumbnails: ReadonlySet<string>;
  /** Where the upload form sends files; null when the contact may not send any here. */
  upload: { action: string; resumable: string; limits: UploadLimits } | null;
  timeZone: string;
}

export const PortalFolderPage: FC<{ v: PortalFolderView }> = ({ v }) => {
  const hrefOf = (id: string | null) => portalFolderHref(v.entity.id, id);
  return (
    <section class="stack files" aria-labelledby="files-heading">
      <BackToPortal entity={v.entity} />
      <h1 id="files-heading">{v.folder ? v.folder.name : `Files of ${v.entity.name}`}</h1>
      <Crumbs crumbs={v.crumbs} hrefOf={hrefOf} />
      {v.folder && (v.files.length || v.folders.length) ? (
        <p>
          <a href={`/portal/entities/${v.entity.id}/files/zip?folder=${v.folder.id}`} download>
            Download this folder as a zip
          </a>
        </p>
      ) : null}
      {v.upload ? <PortalUpload {...v.upload} folder={v.folder} /> : null}
      <FolderListing
        v={v}
        base={`/portal/entities/${v.entity.id}/files`}
        dateLabel="Updated"
        lastLabel="Download"
        empty="Nothing here yet."
        rowOf={(f) => (
          <tr {...STACKED_ROW}>
            <td {...STACKED_CELL} data-label="Name">
              <span class="file-name">
                <FileThumb file={f} shown={v.thumbnails.has(f.id)} />
                <a href={`/portal/files/${f.id}`}>{f.name}</a>
              </span>
            </td>
            <td {...STACKED_CELL} data-label="Size">
              {sizeWords(f.size)}
            </td>
            <td {...STACKED_CELL} data-label="Updated">
              <When at={f.modified_at} timeZone={v.timeZone} />
            </td>
            <td {...STACKED_CELL} data-label="Download">
              <a href={`/files/${f.id}/download`} download>
                Download<span class="visually-hidden"> {f.name}</span>
              </a>
            </td>
          </tr>
        )}
      />
    </section>
  );
};

export interface PortalFileView {
  entity: { id: string; name: string };
  file: StoredFile;
  crumbs: readonly Crumb[];
  preview: FileView['preview'];
  pages: FileView['pages'];
  /** Contact - Editor and Owner rename; only Contact - Owner deletes (the seed's rule, via `can`). */
  may: { rename: boolean; delete: boolean };
  timeZone: string;
  errors?: FieldErrors;
  values?: { name?: string };
}

export const PortalFilePage: FC<{ v: PortalFileView }> = ({ v }) => {
  const f = v.file;
  const errors = v.errors ?? {};
  return (
    <section class="stack file" aria-labelledby="file-heading">
      <BackToPortal entity={v.entity} />
      <Crumbs
        crumbs={[...v.crumbs, { id: null, name: f.name }]}
        hrefOf={(id) => portalFolderHref(v.entity.id, id)}
      />
      <h1 id="file-heading">{f.name}</h1>
      <dl class="facts">
        <dt>Size</dt>
        <dd>{sizeWords(f.size)}</dd>
        <dt>Updated</dt>
        <dd>
          <When at={f.modified_at} timeZone={v.timeZone} /> by {who(f.modified_by_label)}
        </dd>
      </dl>
      <Preview file={f} preview={v.preview} pages={v.pages} />
      <p>
        <a class="button" href={`/files/${f.id}/download`} download>
          Download
        </a>
      </p>
      {v.may.rename ? (
        <Form action={`/portal/files/${f.id}/rename`} class="stack">
          <Field name="name" label="File name" value={v.values?.name ?? f.name} error={errors.name} />
          <button type="submit" class="secondary">
            Rename
          </button>
        </Form>
      ) : null}
      {v.may.delete ? (
        <ConfirmDelete
          action={`/portal/files/${f.id}/delete`}
          confirmLabel="Yes, delete this file"
          button="Delete file"
          error={errors.confirm}
        />
      ) : null}
    </section>
  );
};
