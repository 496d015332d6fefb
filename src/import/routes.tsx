/**
 * /entities/import and /contacts/import: upload a CSV file, see every row checked, then import.
 * Upload → preview writes no client data: the text is kept server-side (import_previews) for the
 * uploading session only, for an hour, so "Import" sends a small form and cannot run twice. Confirm
 * re-checks every row inside the import's transaction and refuses, writing nothing, unless exactly
 * the rows the preview offered are still valid. Each handler: authorize → parse → check → act.
 */
import { type Context, Hono } from 'hono';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import type { AppDeps } from '../http/context.js';
import { entityWords } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { readForm, readFormData, text } from '../http/forms.js';
import { page } from '../http/render.js';
import { RuleError } from '../http/rule-error.js';
import { serviceCtx } from '../http/service-ctx.js';
import { RepeatedField } from '../http/strict-input.js';
import { generateId } from '../kernel/tokens.js';
import { type Actor, Unauthenticated } from '../permissions/index.js';
import { contactImporter } from './contacts.js';
import { entityImporter } from './entities.js';
import type { Importer, Words } from './importer.js';
import { findPreview, savePreview, takePreview, updateValidLines } from './queries.js';
import { decodeUpload, LIMITS, readTable, TOO_LARGE } from './table.js';
import { ImportPage, PreviewPage, plural } from './views.js';

const IMPORTERS = [entityImporter, contactImporter] as const;

/**
 * The request size each upload path accepts (src/app.ts gives it to the form size limit). Above the
 * file limit and below this, the page says so beside the file field; above this, the plain refusal.
 */
export const IMPORT_BODY_LIMITS: Readonly<Record<string, number>> = Object.fromEntries(
  IMPORTERS.map((i) => [i.path, 4 * LIMITS.bytes]),
);

const GONE =
  'This preview is no longer available: it was imported already, replaced by a newer upload, or is more than an hour old. Upload the file again.';
const CHANGED =
  'Nothing was imported: the rows are not as the preview showed them any more (someone may have added one of these emails or references, or changed what you may do). Here they are checked again.';

/** Thrown inside the import's transaction to roll it back when the preview no longer holds. */
class PreviewChanged extends Error {}
class PreviewGone extends Error {}

function sessionOf(c: Context): string {
  const id = c.get('sessionId');
  if (!id) throw new Unauthenticated();
  return id;
}

export function importRoutes({ db }: AppDeps): Hono {
  const app = new Hono();
  for (const importer of IMPORTERS) mount(app, db, importer as Importer<unknown>);
  return app;
}

function mount(app: Hono, db: Db, importer: Importer<unknown>) {
  const { path, what } = importer;
  const words = (c: Context): Words => entityWords(c.get('organization')?.entity_label);
  const info = (w: Words) => {
    const noun = importer.noun(w);
    return { title: `Import ${noun.many}`, path, listPath: importer.listPath, noun };
  };
  const allowedColumns = (actor: Actor, w: Words) => {
    const refused = importer.refused(actor, w)?.names ?? [];
    return importer.columns.filter((col) => !refused.includes(col.name));
  };

  const uploadPage = (c: Context, actor: Actor, error?: string, status: 200 | 409 | 410 | 422 = 200) => {
    const w = words(c);
    return page(
      c,
      info(w).title,
      <ImportPage
        {...info(w)}
        columns={allowedColumns(actor, w)}
        refused={importer.refused(actor, w)}
        error={error}
      />,
      status,
    );
  };

  /** The file's rows checked against the database `db` is (the transaction's, on confirm). */
  async function check(db: Db, actor: Actor, content: string, w: Words) {
    const table = readTable(content, importer.columns, importer.refused(actor, w));
    if (!table.ok) return table;
    return { ok: true as const, rows: await importer.check(db, actor, table.rows, w) };
  }

  const validLines = (rows: { line: number; value: unknown }[]) =>
    rows.filter((r) => r.value !== null).map((r) => r.line);

  const preview = (
    c: Context,
    p: { id: string; fileName: string; rows: Awaited<ReturnType<Importer<unknown>['check']>> },
    refusal?: string,
  ) => {
    const w = words(c);
    return page(
      c,
      `${info(w).title}: check the rows`,
      <PreviewPage {...info(w)} {...p} shown={importer.shown} {...(refusal ? { refusal } : {})} />,
      refusal ? 409 : 200,
    );
  };

  app.get(path, (c) => uploadPage(c, importer.authorize(c)));

  app.get(`${path}/template.csv`, (c) => {
    const actor = importer.authorize(c);
    const header = allowedColumns(actor, words(c))
      .map((col) => col.name)
      .join(',');
    // The byte-order mark makes Excel open (and save again) the file as UTF-8.
    return c.body(`\uFEFF${header}\r\n`, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${what}-template.csv"`,
    });
  });

  app.post(path, async (c) => {
    const actor = importer.authorize(c);
    const sessionId = sessionOf(c);
    const w = words(c);
    const files = (await readFormData(c)).getAll('file');
    if (files.length > 1) throw new RepeatedField('file');
    const file = files[0];
    if (!(file instanceof File) || (file.size === 0 && !file.name))
      return uploadPage(c, actor, 'Choose a CSV file to upload.', 422);
    if (file.size > LIMITS.bytes) return uploadPage(c, actor, TOO_LARGE, 422);
    const decoded = decodeUpload(new Uint8Array(await file.arrayBuffer()));
    if (!decoded.ok) return uploadPage(c, actor, decoded.error, 422);
    const checked = await check(db, actor, decoded.text, w);
    if (!checked.ok) return uploadPage(c, actor, checked.error, 422);
    const id = generateId();
    const fileName = (file.name || 'file.csv').slice(0, 200);
    await savePreview(db, {
      id,
      sessionId,
      what,
      fileName,
      content: decoded.text,
      validLines: validLines(checked.rows),
    });
    return preview(c, { id, fileName, rows: checked.rows });
  });

  app.post(`${path}/confirm`, async (c) => {
    const actor = importer.authorize(c);
    const sessionId = sessionOf(c);
    const w = words(c);
    const form = await readForm(c);
    const where = { id: text(form, 'id'), sessionId, what };
    const everyRow = text(form, 'rows') === 'all';
    const ctx = serviceCtx(c, actor);
    try {
      const imported = await db.transaction().execute(async (trx) => {
        const taken = await takePreview(trx, where);
        if (!taken) throw new PreviewGone();
        const checked = await check(trx, actor, taken.content, w);
        if (!checked.ok) throw new PreviewChanged();
        const ready = checked.rows.filter((r) => r.value !== null);
        const lines = validLines(checked.rows);
        const asShown =
          lines.length === taken.validLines.length && lines.every((l, i) => l === taken.validLines[i]);
        if (!asShown || ready.length === 0 || (everyRow && ready.length !== checked.rows.length))
          throw new PreviewChanged();
        await importer.write(
          trx,
          ctx,
          ready.map((r) => r.value),
          w,
        );
        await recordAudit(trx, {
          actor: ctx.audit,
          action: 'import.completed',
          object: { type: 'import', id: taken.id, label: taken.fileName },
          after: {
            what,
            rows: checked.rows.length,
            imported: ready.length,
            leftOut: checked.rows.length - ready.length,
          },
          requestId: ctx.requestId,
        });
        return ready.length;
      });
      const noun = importer.noun(w);
      setFlash(c, 'success', `Imported ${plural(imported, noun.one, noun.many)}.`);
      return c.redirect(importer.listPath, 303);
    } catch (error) {
      if (error instanceof PreviewGone) return uploadPage(c, actor, GONE, 410);
      if (!(error instanceof PreviewChanged || error instanceof RuleError)) throw error;
    }
    // Refused, nothing written: the preview is checked again and shown as it now stands.
    const kept = await findPreview(db, where);
    if (!kept) return uploadPage(c, actor, GONE, 410);
    const checked = await check(db, actor, kept.content, w);
    if (!checked.ok) return uploadPage(c, actor, checked.error, 409);
    await updateValidLines(db, kept.id, validLines(checked.rows));
    return preview(c, { id: kept.id, fileName: kept.fileName, rows: checked.rows }, CHANGED);
  });
}
