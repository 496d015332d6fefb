/**
 * One source for both parts of an email: the same words become the HTML part (rendered by JSX,
 * so every value is escaped) and the plain-text part (written plainly), each with the firm's name.
 * Links are built only from BASE_URL and a path, never from a request; a subject carrying a link
 * or anything token-like is refused, since subjects show on lock screens and in mail logs.
 */
import { html } from 'hono/html';
import type { FC } from 'hono/jsx';
import { toHtml } from '../http/render.js';

export interface EmailContent {
  firmName: string;
  /** config.baseUrl: the only origin a link may have. */
  baseUrl: string;
  /** Plain words; the firm's name is added in the body, not here. */
  subject: string;
  /**
   * Names people typed that the subject holds (a client's name), which the secret check lets
   * through as it does the firm's name: "PricewaterhouseCoopers" is a name, not a code.
   */
  subjectNames?: string[];
  /** E.g. "Hello Grace,". */
  greeting?: string;
  paragraphs: string[];
  /** A button in HTML, "label: link" in text. `path` is joined to baseUrl. */
  action?: { label: string; path: string };
  /** Small print after the action: how long a link lasts, why they got this. */
  note?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** A link on BASE_URL for `path` (which must be a path: "/…", not "//host" or a URL). */
export function linkTo(baseUrl: string, path: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) throw new Error(`not a path: ${path}`);
  const origin = new URL(baseUrl).origin;
  const url = new URL(path, origin);
  if (url.origin !== origin) throw new Error(`not a path: ${path}`);
  return url.href;
}

/**
 * A subject that holds a link, or a run of 20+ token-like characters, would leak a secret. The
 * `names` given (the firm's, a client's: typed by people, never secrets) are left out of the check.
 */
export function assertSafeSubject(subject: string, names: readonly string[] = []): void {
  // Every place any name covers is found in the subject as given, then all are blanked at once:
  // blanking one name first would cut another it overlaps ("Clearwater" inside "Clearwater
  // Self-Managed-Super-Fund") and leave the rest of that one to be read as a code.
  const covered = new Array<boolean>(subject.length).fill(false);
  for (const name of names.map(oneLine).filter(Boolean)) {
    for (let at = subject.indexOf(name); at >= 0; at = subject.indexOf(name, at + 1))
      covered.fill(true, at, at + name.length);
  }
  const rest = subject
    .split('')
    .map((ch, i) => (covered[i] ? ' ' : ch))
    .join('');
  if (/[a-z][a-z0-9+.-]*:\/\/|www\./i.test(rest) || /[A-Za-z0-9_-]{20,}/.test(rest))
    throw new Error('An email subject must not carry a link or a code; put it in the body.');
}

const BUTTON_STYLE =
  'display:inline-block;padding:12px 20px;background:#1f4e8c;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold';

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

const EmailHtml: FC<{ c: EmailContent; link: string | null }> = ({ c, link }) => (
  <html lang="en">
    {/* hono/html, not JSX <head>: see views/layout.tsx on what JSX head elements cost. */}
    {html`<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${oneLine(c.subject)}</title></head>`}
    <body>
      <p>
        <strong>{c.firmName}</strong>
      </p>
      {c.greeting ? <p>{c.greeting}</p> : null}
      {c.paragraphs.map((p) => (
        <p>{p}</p>
      ))}
      {c.action && link ? (
        <p>
          {/* A button in every mail client: they drop stylesheets, so its look is inline. */}
          <a href={link} style={BUTTON_STYLE}>
            {c.action.label}
          </a>
        </p>
      ) : null}
      {c.note ? (
        <p>
          <small>{c.note}</small>
        </p>
      ) : null}
      <hr />
      <p>
        <small>Sent by {c.firmName}.</small>
      </p>
    </body>
  </html>
);

/**
 * Both parts of an email from one description.
 * @example renderEmail({ firmName, baseUrl: config.baseUrl, subject: 'Your portal is ready',
 *   paragraphs: ['…'], action: { label: 'Go to Client Portal', path: `/portal/confirm/${token}` } })
 */
export async function renderEmail(c: EmailContent): Promise<RenderedEmail> {
  const subject = oneLine(c.subject);
  assertSafeSubject(subject, [c.firmName, ...(c.subjectNames ?? [])]);
  const link = c.action ? linkTo(c.baseUrl, c.action.path) : null;
  const text = [
    c.firmName,
    c.greeting,
    ...c.paragraphs,
    c.action && link ? `${c.action.label}: ${link}` : undefined,
    c.note,
    `-- \nSent by ${c.firmName}.`,
  ]
    .filter((part): part is string => Boolean(part))
    .join('\n\n');
  const html = `<!DOCTYPE html>${await toHtml(<EmailHtml c={c} link={link} />)}`;
  return { subject, text: `${text}\n`, html };
}

/**
 * `mail` with `lines` at its foot: paragraphs at the end of the text part, and small paragraphs
 * before the HTML part's `</body>` (escaped by JSX like every value), where renderEmail ends it.
 */
export async function withFooter<M extends RenderedEmail>(mail: M, lines: readonly string[]): Promise<M> {
  const kept = lines.map(oneLine).filter(Boolean);
  if (!kept.length) return mail;
  const html = await toHtml(
    kept.map((line) => (
      <p>
        <small>{line}</small>
      </p>
    )),
  );
  const end = mail.html.lastIndexOf('</body>');
  return {
    ...mail,
    text: `${mail.text.trimEnd()}\n\n${kept.join('\n\n')}\n`,
    html: end < 0 ? mail.html + html : mail.html.slice(0, end) + html + mail.html.slice(end),
  };
}
