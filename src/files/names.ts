/**
 * The rules for file and folder names. A name is kept as typed (NFC), and compared folded: two names
 * that differ only by case or by Unicode normalization are one name within a folder, as they are on
 * the desktops clients download to.
 */

export const MAX_NAME_LENGTH = 255;

// Controls, and the bidirectional overrides and isolates that make "invoice‮fdp.exe" read as a PDF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** NFC, trimmed; what a name is stored as. */
export function cleanName(raw: string): string {
  return raw.normalize('NFC').trim();
}

/** Why `name` (already cleaned) cannot be a file or folder name, or null when it can. */
export function nameProblem(name: string, what: 'file' | 'folder'): string | null {
  if (!name) return `Enter the ${what}'s name.`;
  if ([...name].length > MAX_NAME_LENGTH) return `The name must be at most ${MAX_NAME_LENGTH} characters.`;
  if (name === '.' || name === '..') return `A ${what} cannot be named "${name}".`;
  if (/[/\\]/.test(name)) return 'A name cannot contain / or \\.';
  if (FORBIDDEN.test(name)) return 'A name cannot contain control characters or text-direction marks.';
  return null;
}

/** The folded form names are compared by: NFC of the case-folded name (ß and SS compare equal). */
export function nameKey(name: string): string {
  return name.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/**
 * The last segment of a name a browser sent: some send a whole path ("C:\fakepath\report.pdf"),
 * and a name can never be a path here.
 */
export function baseName(sent: string): string {
  const segments = sent.split(/[/\\]/);
  return cleanName(segments[segments.length - 1] ?? '');
}

/** "report.pdf" → "report (2).pdf": the name a second file of the same name is kept under. */
export function numbered(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const extension = dot > 0 ? name.slice(dot) : '';
  return `${stem} (${n})${extension}`;
}

/** The extension, lower case and without its dot ('' when there is none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}
