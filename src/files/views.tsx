/** The Files tab of an entity's workspace, and one file's page. */
import { html } from 'hono/html';
import type { Child, FC } from 'hono/jsx';
import { ConfirmDelete } from '../../views/confirm-delete.js';
import {
  ErrorText,
  Field,
  type FieldErrors,
  Form,
  FormError,
  RadioGroup,
  Select,
} from '../../views/forms.js';
import { Pager } from '../../views/pager.js';
import { DataTable, STACKED_CELL, STACKED_ROW, STACKED_ROWGROUP } from '../../views/table.js';
import type { FileVersion, Folder, StoredFile } from '../db/schema.js';
import { markup } from '../http/render.js';
import { formatDateTime } from '../http/time.js';
import { mayShowPages, type PdfPages } from './pdf-pages.js';
import { PdfPagesLoading, PdfPagesSection } from './pdf-views.js';
import { mayPreview } from './preview.js';
import { contentOf, previewHref } from './previews.js';
import { FILES_PAGE_SIZE, type Sort } from './queries.js';
import { BeingChecked } from './scan-views.js';
import { FileThumb, TypeIcon } from './thumbs.js';
import { acceptAttribute, acceptedWords, sizeWords, type UploadLimits } from './upload.js';
import type { Why, WhyRow } from './why.js';

export interface Crumb {
  id: string | null;
  name: string;
}

export interface FolderView {
  entityId: string;
  folder: Folder | null;
  crumbs: readonly Crumb[];
  folders: readonly Folder[];
  files: readonly StoredFile[];
  total: number;
  /** The count stopped at its cap (queries.ts COUNT_CAP): `total` is a floor. */
  totalIsAtLeast: boolean;
  page: number;
  sort: Sort;
  descending: boolean;
  may: { create: boolean; rename: boolean; deleteWhenEmpty: boolean };
  /** Where this folder may be moved (a folder the reader may edit; empty otherwise). */
  moveTargets: readonly { value: string; label: string }[];
  timeZone: string;
  limits: UploadLimits;
  /** The listed files that show a thumbnail; the rest show their type's icon. */
  thumbnails: ReadonlySet<string>;
  /** Who has this folder (a folder only; null at the top level, or for one the reader may not see shared). */
  sharing?: Sharing | null;
  errors?: FieldErrors;
  values?: { name?: string; folderName?: string; to?: string } & ShareValues;
  /** What became of each file of the last upload that was refused in part. */
  refused?: readonly string[];
}

/** A folder (null: the top level) of a listing at `base`, staff's or a contact's, with `extra` in its query. */
export const listingHref = (base: string, folderId: string | null, extra: Record<string, string> = {}) => {
  const q = new URLSearchParams({ ...(folderId ? { folder: folderId } : {}), ...extra });
  const s = q.toString();
  return `${base}${s ? `?${s}` : ''}`;
};

export const folderHref = (entityId: string, folderId: string | null, extra: Record<string, string> = {}) =>
  listingHref(`/entities/${entityId}/files`, folderId, extra);

/** A person as the rows name them, without the address the audit label keeps beside the name. */
export const who = (label: string) => label.replace(/\s*<[^>]*>$/, '');

export const When: FC<{ at: number; timeZone: string }> = ({ at, timeZone }) => (
  <time datetime={new Date(at).toISOString()}>{formatDateTime(at, timeZone)}</time>
);

/** The way down to here; `hrefOf` addresses a folder (null: the top level) on this side of the app. */
export const Crumbs: FC<{ crumbs: readonly Crumb[]; hrefOf: (folderId: string | null) => string }> = ({
  crumbs,
  hrefOf,
}) => (
  <nav aria-label="Folders" class="breadcrumbs">
    <ol>
      {crumbs.map((c, i) => (
        <li>
          {i === crumbs.length - 1 ? (
            <span aria-current="page">{c.name}</span>
          ) : (
            <a href={hrefOf(c.id)}>{c.name}</a>
          )}
        </li>
      ))}
    </ol>
  </nav>
);

/** A column heading that sorts by it; a second press reverses the order. */
export const SortLink: FC<{
  sorted: { sort: Sort; descending: boolean };
  by: Sort;
  label: string;
  /** This listing's address with these sort parameters. */
  hrefWith: (params: Record<string, string>) => string;
}> = ({ sorted, by, label, hrefWith }) => {
  const current = sorted.sort === by;
  const descending = current ? !sorted.descending : by !== 'name';
  const href = hrefWith({ sort: by, ...(descending ? { dir: 'desc' } : {}) });
  const state = current ? (sorted.descending ? ' (sorted, newest or largest first)' : ' (sorted)') : '';
  return (
    <a href={href}>
      {label}
      <span class="visually-hidden">{state}</span>
    </a>
  );
};

/**
 * What an upload does with a name already in the folder. Staff are offered a new version first; a
 * contact keeping both, since they may version only what they may change (File E).
 */
export const SameNameChoice: FC<{ contact?: boolean }> = ({ contact }) => {
  const keep = { value: 'keep', label: 'Keep both: the new one gets a number' };
  const version = {
    value: 'version',
    label: contact
      ? 'Add it as a new version of that file, if you may change it'
      : 'Add it as a new version of that file',
  };
  return (
    <RadioGroup
      name="sameName"
      legend={`If a file of the same name is already ${contact ? 'there' : 'here'}`}
      value={contact ? 'keep' : 'version'}
      options={contact ? [keep, version] : [version, keep]}
    />
  );
};

/** Filled by static/uploads.js: a line per file being sent, and uploads a reload cut short. */
export const UploadProgress: FC = () => (
  <>
    <p class="upload-interrupted hint" hidden />
    <ul class="upload-progress" aria-live="polite" />
  </>
);

/** A folder's row in a listing: its name a link into it (`href`), and when it last changed. */
export const FolderRow: FC<{
  folder: Folder;
  href: string;
  timeZone: string;
  /** The column headings of the date and of the last cell, which stays empty for a folder. */
  dateLabel: string;
  lastLabel: string;
}> = ({ folder, href, timeZone, dateLabel, lastLabel }) => (
  <tr {...STACKED_ROW}>
    <td {...STACKED_CELL} data-label="Name">
      <a href={href} class="folder-link">
        <span aria-hidden="true">📁 </span>
        {folder.name}
        <span class="visually-hidden"> (folder)</span>
      </a>
    </td>
    <td {...STACKED_CELL} data-label="Size">
      Folder
    </td>
    <td {...STACKED_CELL} data-label={dateLabel}>
      <When at={folder.updated_at} timeZone={timeZone} />
    </td>
    <td {...STACKED_CELL} data-label={lastLabel} />
  </tr>
);

/** `When`, written with hono's `html` for the rows that are (see fileRow). */
export const whenHtml = (at: number, timeZone: string) =>
  html`<time datetime="${new Date(at).toISOString()}">${formatDateTime(at, timeZone)}</time>`;

/**
 * One file's row of a folder listing. Written with hono's `html`, which escapes every value as JSX
 * does, because a page draws fifty of them and building each as JSX elements cost most of the page.
 */
function fileRow(f: StoredFile, v: Pick<FolderView, 'thumbnails' | 'timeZone'>) {
  const select = html`<input type="checkbox" class="select-file" name="file" value="${f.id}" form="zip-selection" aria-label="Select ${f.name}"/>`;
  const thumb = markup(<FileThumb file={f} shown={v.thumbnails.has(f.id)} />);
  const pending = f.scan_status === 'pending' ? html` ${markup(<BeingChecked />)}` : '';
  const name = html`<span class="file-name">${select}${thumb}<a href="/files/${f.id}">${f.name}</a>${pending}</span>`;
  const when = whenHtml(f.modified_at, v.timeZone);
  return html`<tr role="row"><td role="cell" data-label="Name">${name}</td><td role="cell" data-label="Size">${sizeWords(f.size)}</td><td role="cell" data-label="Modified">${when} <span class="muted">by ${who(f.modified_by_label)}</span></td><td role="cell" data-label="Version">${f.version}</td></tr>`;
}

/** What a folder's listing shows, on the staff's side or in the portal. */
export type Listing = Pick<
  FolderView,
  'folder' | 'folders' | 'files' | 'total' | 'totalIsAtLeast' | 'page' | 'sort' | 'descending' | 'timeZone'
>;

/**
 * A folder's folders and files, sorted by name, size or date, a page at a time. `base` is the
 * listing's path on its side of the app; `children` sit between the table and the pager.
 */
export const FolderListing: FC<{
  v: Listing;
  base: string;
  dateLabel: string;
  lastLabel: string;
  empty: string;
  rowOf: (file: StoredFile) => Child;
  children?: Child;
}> = ({ v, base, dateLabel, lastLabel, empty, rowOf, children }) => {
  const here = v.folder?.id ?? null;
  const sortHref = (params: Record<string, string>) => listingHref(base, here, params);
  return (
    <>
      {v.folders.length || v.files.length ? (
        <DataTable
          caption={`Folders and files in ${v.folder?.name ?? 'Files'}`}
          columns={[
            <SortLink sorted={v} by="name" label="Name" hrefWith={sortHref} />,
            <SortLink sorted={v} by="size" label="Size" hrefWith={sortHref} />,
            <SortLink sorted={v} by="date" label={dateLabel} hrefWith={sortHref} />,
            lastLabel,
          ]}
          stacked
        >
          <tbody {...STACKED_ROWGROUP}>
            {v.folders.map((f) => (
              <FolderRow
                folder={f}
                href={listingHref(base, f.id)}
                timeZone={v.timeZone}
                dateLabel={dateLabel}
                lastLabel={lastLabel}
              />
            ))}
            {v.files.map(rowOf)}
          </tbody>
        </DataTable>
      ) : (
        <p class="muted">{empty}</p>
      )}
      {children}
      {v.total > FILES_PAGE_SIZE ? (
        <Pager
          basePath={base}
          params={{ folder: here ?? '', sort: v.sort, dir: v.descending ? 'desc' : '' }}
          page={v.page}
          pageSize={FILES_PAGE_SIZE}
          total={v.total}
          totalIsAtLeast={v.totalIsAtLeast}
        />
      ) : null}
    </>
  );
};

export const FolderPage: FC<{ v: FolderView }> = ({ v }) => {
  const here = v.folder?.id ?? null;
  const uploadAction = folderHref(v.entityId, here);
  const errors = v.errors ?? {};
  return (
    <section class="stack files" aria-labelledby="files-heading">
      <h2 id="files-heading">{v.folder ? v.folder.name : 'Files'}</h2>
      <Crumbs crumbs={v.crumbs} hrefOf={(id) => folderHref(v.entityId, id)} />
      {v.folder && (v.files.length || v.folders.length) ? (
        <p>
          <a href={`/folders/${v.folder.id}/zip`} download>
            Download this folder as a zip
          </a>
        </p>
      ) : null}
      {v.refused?.length ? (
        <div class="flash flash-error" role="alert">
          <p>Some files were not uploaded:</p>
          <ul>
            {v.refused.map((r) => (
              <li>{r}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {v.may.create ? (
        <div class="file-actions">
          <Form
            action={uploadAction}
            enctype="multipart/form-data"
            class="stack upload-form"
            resumable={`/entities/${v.entityId}/uploads`}
            folder={here}
          >
            <SameNameChoice />
            <div class="field">
              <label for="f-files">Files to upload</label>
              <p class="hint" id="f-files-hint">
                {acceptedWords(v.limits)} You can choose several.
              </p>
              <input
                id="f-files"
                name="files"
                type="file"
                accept={acceptAttribute(v.limits)}
                multiple
                required
                aria-invalid={errors.files ? 'true' : undefined}
                aria-describedby={['f-files-hint', errors.files ? 'f-files-error' : '']
                  .filter(Boolean)
                  .join(' ')}
              />
              <ErrorText id="f-files-error" error={errors.files} />
            </div>
            <UploadProgress />
            <button type="submit">Upload</button>
          </Form>
          <Form
            action={`/entities/${v.entityId}/files/folders${here ? `?folder=${here}` : ''}`}
            class="stack new-folder"
          >
            <Field
              name="folderName"
              label="New folder"
              value={v.values?.folderName}
              error={errors.folderName}
            />
            <button type="submit" class="secondary">
              Create folder
            </button>
          </Form>
        </div>
      ) : null}
      <FolderListing
        v={v}
        base={`/entities/${v.entityId}/files`}
        dateLabel="Modified"
        lastLabel="Version"
        empty={v.may.create ? 'Nothing here yet. Upload files or create a folder.' : 'Nothing here yet.'}
        rowOf={(f) => fileRow(f, v)}
      >
        {v.files.length ? (
          <form
            id="zip-selection"
            method="get"
            action={`/entities/${v.entityId}/files/zip`}
            class="zip-selection"
          >
            {here ? <input type="hidden" name="folder" value={here} /> : null}
            <button type="submit" class="secondary">
              Download the selected files as a zip
            </button>
          </form>
        ) : null}
      </FolderListing>
      {v.folder && (v.may.rename || v.may.deleteWhenEmpty) ? (
        <details class="folder-settings" open={Boolean(errors.name || errors.folder || errors.to)}>
          <summary>Rename, move or delete this folder</summary>
          {v.may.rename ? (
            <Form action={`/folders/${v.folder.id}/rename`}>
              <Field
                name="name"
                label="Folder name"
                value={v.values?.name ?? v.folder.name}
                error={errors.name}
              />
              <button type="submit" class="secondary">
                Rename folder
              </button>
            </Form>
          ) : null}
          {v.moveTargets.length ? (
            <Form action={`/folders/${v.folder.id}/move`}>
              <Select
                name="to"
                label="Move this folder into"
                options={v.moveTargets}
                value={v.values?.to ?? v.folder.parent_id ?? ''}
                error={errors.to}
              />
              <button type="submit" class="secondary">
                Move folder
              </button>
            </Form>
          ) : null}
          {v.may.deleteWhenEmpty ? (
            <ConfirmDelete
              action={`/folders/${v.folder.id}/delete`}
              confirmLabel="Yes, delete this empty folder"
              button="Delete folder"
              error={errors.confirm ?? errors.folder}
            />
          ) : null}
        </details>
      ) : null}
      {v.folder && v.sharing ? (
        <details
          class="folder-settings"
          open={Boolean(
            errors.contact ||
              errors.role ||
              errors.binding ||
              errors.email ||
              errors.staffRole ||
              v.sharing.why,
          )}
        >
          <summary>Who has this folder, and sharing it</summary>
          <ShareSection
            sharing={v.sharing}
            base={`/folders/${v.folder.id}`}
            what="folder"
            page={{ action: `/entities/${v.entityId}/files`, folder: v.folder.id }}
            errors={errors}
            values={v.values}
          />
        </details>
      ) : null}
    </section>
  );
};

export interface SharedRow {
  bindingId: string;
  roleId: string;
  userId: string;
  first_name: string;
  last_name: string;
  kind: 'staff' | 'contact';
}

export interface Sharing {
  shared: readonly SharedRow[];
  /** Contacts who see the client, to share with; empty when the reader may not share. */
  choices: readonly { id: string; first_name: string; last_name: string; email: string }[];
  roles: readonly { value: string; label: string }[];
  /** The item-level staff roles (Viewer, Editor, Owner), given by email address. */
  staffRoles: readonly { value: string; label: string }[];
  may: boolean;
  /** The answer to "Why can this person see it?", when one was asked. */
  why?: { email: string; answer: Why } | null;
}

export interface FileView {
  file: StoredFile;
  sharing: Sharing;
  crumbs: readonly Crumb[];
  versions: readonly FileVersion[];
  may: { edit: boolean; delete: boolean; move: boolean };
  /**
   * The current version's preview: its size once made, 'unmade' when it will be made on first
   * view, null when there is none (a type we do not decode, or one that failed).
   */
  preview: { width: number; height: number } | 'unmade' | null;
  /** A PDF's pages, as kept: null for anything else (or a PDF being checked). */
  pages: PdfPages | 'unmade' | null;
  moveTargets: readonly { value: string; label: string }[];
  timeZone: string;
  errors?: FieldErrors;
  values?: { name?: string; to?: string } & ShareValues;
}

const ROLE_NAMES: Record<string, string> = {
  contact_viewer: 'Contact - Viewer',
  contact_editor: 'Contact - Editor',
  contact_owner: 'Contact - Owner',
  viewer: 'Viewer',
  editor: 'Editor',
  owner: 'Owner',
};

type ShareValues = { contact?: string; role?: string; email?: string; staffRole?: string };

/**
 * Who has this file or folder itself (a folder's role covers all inside it), and for those who may
 * share it: giving it to one of the client's contacts or to a staff member, and why someone can see it.
 */
export const ShareSection: FC<{
  sharing: Sharing;
  /** The item's address: `/files/:id` or `/folders/:id`. */
  base: string;
  what: 'file' | 'folder';
  /** The page it is on, which "Why can this person see it?" asks again (a folder's also names it). */
  page: { action: string; folder?: string };
  errors?: FieldErrors;
  values?: ShareValues;
}> = ({ sharing, base, what, page, errors = {}, values }) => (
  <section aria-labelledby="shared-heading" class="stack">
    <h3 id="shared-heading">Who has this {what}</h3>
    {sharing.shared.length ? (
      <ul class="panel-list">
        {sharing.shared.map((r) => (
          <li>
            {r.first_name} {r.last_name}{' '}
            <span class="muted">
              {ROLE_NAMES[r.roleId] ?? r.roleId}
              {r.kind === 'staff' ? ' (staff)' : ''}
            </span>
            {sharing.may ? (
              <form method="post" action={`${base}/unshare`} class="inline">
                <input type="hidden" name="binding" value={r.bindingId} />
                <button type="submit" class="link">
                  Stop sharing
                  <span class="visually-hidden">
                    {' '}
                    with {r.first_name} {r.last_name}
                  </span>
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    ) : (
      <p class="muted">
        No one has a role on this {what} itself: it is seen by those who see the whole client.
      </p>
    )}
    {sharing.may ? (
      sharing.choices.length ? (
        <Form action={`${base}/share`}>
          <Select
            name="contact"
            label={what === 'folder' ? 'Share this folder with' : 'Share with'}
            options={sharing.choices.map((c) => ({
              value: c.id,
              label: `${c.first_name} ${c.last_name} (${c.email})`,
            }))}
            value={values?.contact}
            error={errors.contact}
          />
          <Select
            name="role"
            label="As"
            options={sharing.roles}
            value={values?.role ?? 'contact_viewer'}
            error={errors.role}
          />
          <button type="submit" class="secondary">
            Share
          </button>
        </Form>
      ) : (
        <p class="muted">No contact sees this client in the portal yet: give one access to it first.</p>
      )
    ) : null}
    {sharing.may ? (
      <Form action={`${base}/share`}>
        <Field
          name="email"
          type="email"
          label="Give a staff member access: their email address"
          value={values?.email}
          error={errors.email}
        />
        <Select
          name="staffRole"
          label="Staff role"
          options={sharing.staffRoles}
          value={values?.staffRole ?? 'viewer'}
          error={errors.staffRole}
        />
        <button type="submit" class="secondary">
          Give access
        </button>
      </Form>
    ) : null}
    {sharing.may ? <WhySection page={page} what={what} why={sharing.why ?? null} /> : null}
  </section>
);

const WhyRows: FC<{ rows: readonly WhyRow[]; caption: string }> = ({ rows, caption }) => (
  <DataTable caption={caption} columns={['Role', 'Given at', 'Through']} stacked>
    <tbody {...STACKED_ROWGROUP}>
      {rows.map((r) => (
        <tr {...STACKED_ROW}>
          <td {...STACKED_CELL} data-label="Role">
            {r.role}
          </td>
          <td {...STACKED_CELL} data-label="Given at">
            {r.where}
          </td>
          <td {...STACKED_CELL} data-label="Through">
            {r.through ? `Group ${r.through}` : 'Given to them'}
          </td>
        </tr>
      ))}
    </tbody>
  </DataTable>
);

/** "Why can this person see it?": asked by email address, answered from `explain`. */
const WhySection: FC<{
  page: { action: string; folder?: string };
  what: 'file' | 'folder';
  why: Sharing['why'];
}> = ({ page, what, why }) => {
  const answer = why?.answer;
  return (
    <section aria-labelledby="why-heading" class="stack">
      <h3 id="why-heading">Why can this person see it?</h3>
      <form method="get" action={page.action} class="search">
        {page.folder ? <input type="hidden" name="folder" value={page.folder} /> : null}
        <label for="f-person">Email address to explain</label>
        <input id="f-person" name="person" type="email" value={why?.email ?? ''} />
        <button type="submit">Explain</button>
      </form>
      {!answer ? null : 'none' in answer ? (
        <p>{answer.none}</p>
      ) : answer.disabled ? (
        <p>
          {answer.name}’s account is disabled, so they cannot see this {what} (or sign in at all). Their roles
          are kept for when the account is enabled again.
        </p>
      ) : answer.reasons.length === 0 ? (
        <p>
          {answer.name} cannot see this {what}.
        </p>
      ) : (
        <>
          <WhyRows rows={answer.reasons} caption={`Why ${answer.name} can see this ${what}`} />
          {answer.admittedBy?.length ? (
            <WhyRows
              rows={answer.admittedBy}
              caption={`And the role that lets ${answer.name} into the client in the portal`}
            />
          ) : null}
        </>
      )}
    </section>
  );
};

/** Until it is made, a preview's room is a 4:3 box the image is fitted into. */
const UNMADE_BOX = { width: 1600, height: 1200 };

/**
 * The current version's preview (an image's picture, linked to its full size; a PDF's pages), or
 * its type's icon and why there is none.
 */
export const Preview: FC<Pick<FileView, 'file' | 'preview' | 'pages'>> = (v) => {
  const f = v.file;
  if (v.pages === 'unmade') return <PdfPagesLoading file={f} />;
  if (v.pages) return <PdfPagesSection file={f} shown={v.pages} framed />;
  if (!v.preview)
    return (
      <div class="file-no-preview">
        <TypeIcon name={f.name} contentType={f.content_type} large />
        <p class="muted">
          {f.content_type === 'application/pdf'
            ? 'There is no preview of this PDF: download it to read it.'
            : 'There is no preview of this file: download it to open it.'}
        </p>
      </div>
    );
  const box = v.preview === 'unmade' ? UNMADE_BOX : v.preview;
  return (
    <figure class="file-preview">
      <a href={`/files/${f.id}/preview`}>
        <img
          src={`/files/${f.id}/preview`}
          alt={`Preview of ${f.name}`}
          width={String(box.width)}
          height={String(box.height)}
          decoding="async"
        />
      </a>
      <figcaption class="muted">Select the picture to see it at full size.</figcaption>
    </figure>
  );
};

/** An older version has something to look at without downloading: an image's preview, or a PDF's pages. */
const viewable = (ver: FileVersion) => mayPreview(contentOf(ver), 'preview') || mayShowPages(contentOf(ver));

export const FilePage: FC<{ v: FileView }> = ({ v }) => {
  const f = v.file;
  const errors = v.errors ?? {};
  return (
    <section class="stack file" aria-labelledby="file-heading">
      <Crumbs
        crumbs={[...v.crumbs, { id: null, name: f.name }]}
        hrefOf={(id) => folderHref(f.entity_id, id)}
      />
      <h2 id="file-heading">
        {f.name}
        {f.scan_status === 'pending' ? (
          <>
            {' '}
            <BeingChecked />
          </>
        ) : null}
      </h2>
      <FormError error={errors.form} />
      <dl class="facts">
        <dt>Size</dt>
        <dd>{sizeWords(f.size)}</dd>
        <dt>Uploaded</dt>
        <dd>
          <When at={f.created_at} timeZone={v.timeZone} /> by {who(f.created_by_label)}
        </dd>
        <dt>Last modified</dt>
        <dd>
          <When at={f.modified_at} timeZone={v.timeZone} /> by {who(f.modified_by_label)}
        </dd>
      </dl>
      <Preview file={v.file} preview={v.preview} pages={v.pages} />
      {f.scan_status === 'pending' ? (
        <p>It can be downloaded once it has passed the virus check, which runs every minute.</p>
      ) : (
        <p>
          <a class="button" href={`/files/${f.id}/download`} download>
            Download
          </a>
        </p>
      )}
      <DataTable caption="Versions" columns={['Version', 'Uploaded', 'Size', 'Actions']} stacked>
        <tbody {...STACKED_ROWGROUP}>
          {v.versions.map((ver) => (
            <tr {...STACKED_ROW}>
              <td {...STACKED_CELL} data-label="Version">
                {ver.number}
                {ver.number === f.version ? ' (current)' : ''}
                {ver.scan_status === 'pending' ? (
                  <>
                    {' '}
                    <BeingChecked />
                  </>
                ) : null}
              </td>
              <td {...STACKED_CELL} data-label="Uploaded">
                <When at={ver.uploaded_at} timeZone={v.timeZone} /> by {who(ver.uploaded_by_label)}
              </td>
              <td {...STACKED_CELL} data-label="Size">
                {sizeWords(ver.size)}
              </td>
              <td {...STACKED_CELL} data-label="Actions" class="version-actions">
                {ver.scan_status === 'clean' && ver.number !== f.version && viewable(ver) ? (
                  <a href={previewHref({ id: f.id, content_type: ver.content_type }, ver.number)}>
                    View<span class="visually-hidden"> version {ver.number}</span>
                  </a>
                ) : null}
                {ver.scan_status === 'clean' ? (
                  <a href={`/files/${f.id}/download?version=${ver.number}`} download>
                    Download<span class="visually-hidden"> version {ver.number}</span>
                  </a>
                ) : null}
                {v.may.edit && ver.number !== f.version ? (
                  <form method="post" action={`/files/${f.id}/restore`} class="inline">
                    <input type="hidden" name="version" value={String(ver.number)} />
                    <button type="submit" class="link">
                      Restore<span class="visually-hidden"> version {ver.number}</span>
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      <ShareSection
        sharing={v.sharing}
        base={`/files/${v.file.id}`}
        what="file"
        page={{ action: `/files/${v.file.id}` }}
        errors={v.errors}
        values={v.values}
      />
      {v.may.edit ? (
        <Form action={`/files/${f.id}/rename`}>
          <Field name="name" label="File name" value={v.values?.name ?? f.name} error={errors.name} />
          <button type="submit" class="secondary">
            Rename
          </button>
        </Form>
      ) : null}
      {v.may.move && v.moveTargets.length ? (
        <Form action={`/files/${f.id}/move`}>
          <Select
            name="to"
            label="Move to folder"
            options={v.moveTargets}
            value={v.values?.to ?? f.folder_id ?? ''}
            error={errors.to}
          />
          <button type="submit" class="secondary">
            Move
          </button>
        </Form>
      ) : null}
      {v.may.delete ? (
        <ConfirmDelete
          action={`/files/${f.id}/delete`}
          confirmLabel="Yes, delete this file and all its versions"
          button="Delete file"
          error={errors.confirm}
        />
      ) : null}
    </section>
  );
};
