/**
 * A file's picture in a listing: its thumbnail (an image we made, src/files/previews.ts) or, for
 * what has none, an icon of its type drawn here as inline SVG. Both fill the same fixed box, so a
 * row never jumps when an image arrives. Nothing of the file's content is ever drawn inline.
 */
import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import { extensionOf } from './names.js';

type Kind = { label: string; colour: string };

const KINDS: Record<string, Kind> = {
  image: { label: 'IMG', colour: '#2f7d4f' },
  pdf: { label: 'PDF', colour: '#a12a2a' },
  sheet: { label: 'XLS', colour: '#1e6b3a' },
  doc: { label: 'DOC', colour: '#1f5f8b' },
  slides: { label: 'PPT', colour: '#b4561b' },
  archive: { label: 'ZIP', colour: '#6b5a1e' },
  text: { label: 'TXT', colour: '#5b6670' },
  other: { label: 'FILE', colour: '#5b6670' },
};

const BY_EXTENSION: Record<string, keyof typeof KINDS> = {
  pdf: 'pdf',
  xls: 'sheet',
  xlsx: 'sheet',
  ods: 'sheet',
  csv: 'sheet',
  numbers: 'sheet',
  doc: 'doc',
  docx: 'doc',
  odt: 'doc',
  rtf: 'doc',
  pages: 'doc',
  ppt: 'slides',
  pptx: 'slides',
  odp: 'slides',
  key: 'slides',
  zip: 'archive',
  '7z': 'archive',
  rar: 'archive',
  gz: 'archive',
  txt: 'text',
  md: 'text',
};

/** The icon's kind: from the content type first (what the bytes were), else the name. */
export function iconKind(name: string, contentType: string): Kind {
  if (contentType.startsWith('image/')) return KINDS.image!;
  if (contentType === 'application/pdf') return KINDS.pdf!;
  return KINDS[BY_EXTENSION[extensionOf(name)] ?? 'other']!;
}

/**
 * A page with a folded corner and the type's short name: ours, never the file's. The name is drawn
 * by CSS (`data-kind`), so it is no text of the page: not read out, copied or searched. Its markup
 * depends on the kind and size alone, so it is made once for each and reused: a listing draws fifty.
 */
export const TypeIcon: FC<{ name: string; contentType: string; large?: boolean }> = ({
  name,
  contentType,
  large,
}) => {
  const kind = iconKind(name, contentType);
  const key = `${kind.label}${large ? ' large' : ''}`;
  let made = iconMarkup.get(key);
  if (!made) {
    made = raw(iconHtml(kind, large ? 64 : 48, Boolean(large)));
    iconMarkup.set(key, made);
  }
  return made;
};

const iconMarkup = new Map<string, HtmlEscapedString>();

/** Only our own words and colours go in: the kinds are constants of this file. */
const iconHtml = (kind: Kind, size: number, large: boolean) =>
  `<span class="${large ? 'type-icon large' : 'type-icon'}" data-kind="${kind.label}" aria-hidden="true">` +
  `<svg width="${size}" height="${size}" viewBox="0 0 48 48" aria-hidden="true" focusable="false">` +
  '<path d="M10 3h20l10 10v32H10z" fill="#ffffff" stroke="#808a93" stroke-width="2"></path>' +
  '<path d="M30 3v10h10" fill="none" stroke="#808a93" stroke-width="2"></path>' +
  `<rect x="4" y="24" width="32" height="14" rx="2" fill="${kind.colour}"></rect></svg></span>`;

/**
 * The icon as an image of its own, for a thumbnail that could not be made (a damaged image or PDF):
 * the listing asked for a picture before anyone knew, and gets the type's icon, not a broken image.
 * Only our own words and colours go in, as for the inline one.
 */
export function typeIconSvg(name: string, contentType: string): string {
  const kind = iconKind(name, contentType);
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">' +
    '<path d="M10 3h20l10 10v32H10z" fill="#ffffff" stroke="#808a93" stroke-width="2"/>' +
    '<path d="M30 3v10h10" fill="none" stroke="#808a93" stroke-width="2"/>' +
    `<rect x="4" y="24" width="32" height="14" rx="2" fill="${kind.colour}"/>` +
    `<text x="20" y="34.5" fill="#ffffff" font-family="sans-serif" font-size="10" font-weight="700" text-anchor="middle">${kind.label}</text></svg>`
  );
}

export interface Thumbed {
  id: string;
  name: string;
  content_type: string;
}

/**
 * The thumbnail when `shown` (a type we decode, not known to have failed), else the type's icon;
 * `href` makes the thumbnail a link (the portal's, to the full preview).
 */
export const FileThumb: FC<{ file: Thumbed; shown: boolean; href?: string }> = ({ file, shown, href }) => {
  if (!shown)
    return (
      <span class="file-thumb">
        <TypeIcon name={file.name} contentType={file.content_type} />
      </span>
    );
  const img = (
    <img
      src={`/files/${file.id}/thumbnail`}
      alt={`Thumbnail of ${file.name}`}
      width="48"
      height="48"
      loading="lazy"
      decoding="async"
    />
  );
  return href ? (
    <a class="file-thumb" href={href}>
      {img}
    </a>
  ) : (
    <span class="file-thumb">{img}</span>
  );
};
