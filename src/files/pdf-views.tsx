/**
 * A PDF's preview: its first pages as images of our making, one below the other, each at its own
 * proportions and loaded as it scrolls into view, with word of the pages left out. The same
 * section sits on a staff file page and on the pages page a contact's thumbnail opens (and is the
 * fragment htmx loads into the file page while the pages are first drawn). Nothing of the PDF
 * itself is ever shown inline: the browser only ever gets our WebP.
 */
import type { FC } from 'hono/jsx';
import type { PdfPages } from './pdf-pages.js';
import { TypeIcon } from './thumbs.js';

interface Named {
  id: string;
  name: string;
}

/** `?version=N` for an older version's pages; nothing for the current one. */
const versionQuery = (version?: number) => (version === undefined ? '' : `?version=${version}`);

/** Where the section sits, so the fragment replaces the placeholder it was loaded for. */
const SECTION_ID = 'pdf-pages';

/** What there is to show: the pages, none ('none'), or none yet because the server is busy. */
export type PagesShown = PdfPages | 'none' | 'busy';

/**
 * `framed` (on a file page, whose other parts follow) keeps the pages in a box of their own that
 * scrolls, as tall as an image's preview at most; on the pages page they flow with the page.
 */
export const PdfPagesSection: FC<{ file: Named; shown: PagesShown; framed?: boolean; version?: number }> = ({
  file,
  shown,
  framed,
  version,
}) => {
  const q = versionQuery(version);
  if (shown === 'busy')
    return (
      <section id={SECTION_ID} class="pdf-pages" aria-label={`Pages of ${file.name}`}>
        <p>
          The pages of this PDF cannot be drawn just now: the server is busy with other files.{' '}
          <a href={`/files/${file.id}/pages${q}`}>Try again</a> in a few seconds, or download the file.
        </p>
      </section>
    );
  if (shown === 'none')
    return (
      <section id={SECTION_ID} class="file-no-preview" aria-label={`Pages of ${file.name}`}>
        <TypeIcon name={file.name} contentType="application/pdf" large />
        <p class="muted">There is no preview of this PDF: download it to read it.</p>
      </section>
    );
  const { pages, total } = shown;
  return (
    <section id={SECTION_ID} class="pdf-pages" aria-label={`Pages of ${file.name}`}>
      {total > pages.length ? (
        <p class="pdf-pages-note">
          Only the first {pages.length} of its {total} pages are shown here: download the file to read them
          all.
        </p>
      ) : null}
      {/* A box that scrolls is reached by keyboard too (tabindex), named by its section. */}
      <ol class={framed ? 'pdf-page-list framed' : 'pdf-page-list'} tabindex={framed ? 0 : undefined}>
        {pages.map((p) => (
          <li>
            <img
              src={`/files/${file.id}/pages/${p.number}${q}`}
              alt={`Page ${p.number} of ${file.name}`}
              width={String(p.width)}
              height={String(p.height)}
              loading="lazy"
              decoding="async"
            />
          </li>
        ))}
      </ol>
    </section>
  );
};

/**
 * Until the pages are first drawn, a file page holds this: htmx fetches the section in its place,
 * so the page itself never waits for the drawing; without script, a link to the pages page.
 */
export const PdfPagesLoading: FC<{ file: Named }> = ({ file }) => (
  <section
    id={SECTION_ID}
    class="pdf-pages"
    aria-label={`Pages of ${file.name}`}
    hx-get={`/files/${file.id}/pages`}
    hx-trigger="load"
    hx-swap="outerHTML"
  >
    <p class="muted">
      Drawing the pages of this PDF… <a href={`/files/${file.id}/pages`}>See its pages</a>
    </p>
  </section>
);

/** The pages page: the file's name (and version, for an older one), its pages, its download, and the way back. */
export const PdfPagesPage: FC<{
  file: Named;
  shown: PagesShown;
  back: { href: string; label: string };
  version?: number;
}> = ({ file, shown, back, version }) => (
  <section class="stack pdf-pages-page" aria-labelledby="pdf-pages-heading">
    <p>
      <a href={back.href}>{back.label}</a>
    </p>
    <h2 id="pdf-pages-heading">
      {file.name}
      {version === undefined ? null : <span class="muted"> (version {version})</span>}
    </h2>
    <p>
      <a class="button" href={`/files/${file.id}/download${versionQuery(version)}`} download>
        Download{version === undefined ? null : <span class="visually-hidden"> version {version}</span>}
      </a>
    </p>
    <PdfPagesSection file={file} shown={shown} version={version} />
  </section>
);
