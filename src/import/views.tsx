/**
 * The import pages: the upload form with the columns it expects, and the preview of every row with
 * its errors and the one import button the preview allows. Plain forms: they work without
 * JavaScript. Views decide nothing: the counts and what is offered come from the route.
 */
import type { FC } from 'hono/jsx';
import { Field, Form, FormError } from '../../views/forms.js';
import type { CheckedRow } from './importer.js';
import { type Column, LIMITS_TEXT } from './table.js';

interface ImportInfo {
  title: string;
  path: string;
  listPath: string;
  noun: { one: string; many: string };
}

/** At most this many rows are drawn: every row with errors first, then ready rows up to it. */
export const MAX_SHOWN = 500;

export const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

export const ImportPage: FC<
  ImportInfo & {
    columns: readonly Column[];
    refused: { names: readonly string[]; reason: string } | null;
    error?: string | undefined;
  }
> = (p) => (
  <section class="narrow">
    <p>
      <a href={p.listPath}>All {p.noun.many}</a>
    </p>
    <h1>{p.title}</h1>
    <p>
      Add many {p.noun.many} at once from a spreadsheet saved as a CSV file. Every row is checked and shown to
      you first: nothing is added until you choose to import.
    </p>
    <ul>
      <li>A CSV file (comma-separated) in UTF-8 (“CSV UTF-8” in Excel), {LIMITS_TEXT}.</li>
      <li>The first row names the columns, in any order. Optional columns may be left out.</li>
      <li>Values holding commas, quotes or line breaks go in double quotes, as spreadsheets save them.</li>
    </ul>
    <p>
      <a href={`${p.path}/template.csv`} download>
        Download the template (CSV)
      </a>
    </p>
    <div class="table-wrap">
      <table>
        <caption>The columns</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Needed</th>
            <th scope="col">What it holds</th>
          </tr>
        </thead>
        <tbody>
          {p.columns.map((c) => (
            <tr>
              <td>
                <code>{c.name}</code>
              </td>
              <td>{c.required ? 'Required' : 'Optional'}</td>
              <td>{c.about}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    {p.refused ? (
      <p class="hint">
        {p.refused.reason} The columns {p.refused.names.join(', ')} are not accepted.
      </p>
    ) : null}
    <Form action={p.path} enctype="multipart/form-data">
      <Field
        name="file"
        type="file"
        label="CSV file"
        accept=".csv,text/csv"
        error={p.error}
        hint={`A .csv file, ${LIMITS_TEXT}.`}
        required
      />
      <button type="submit">Upload and check</button>
    </Form>
  </section>
);

export interface PreviewProps extends ImportInfo {
  id: string;
  fileName: string;
  shown: readonly string[];
  rows: readonly CheckedRow<unknown>[];
  /** Why the preview is shown again instead of importing (the data changed since). */
  refusal?: string;
}

/** The rows drawn: all with errors (up to MAX_SHOWN), then ready ones, in file order. */
function rowsToShow(rows: readonly CheckedRow<unknown>[]) {
  const bad = rows.filter((r) => r.errors.length > 0).slice(0, MAX_SHOWN);
  const good = rows.filter((r) => r.errors.length === 0).slice(0, MAX_SHOWN - bad.length);
  return [...bad, ...good].sort((a, b) => a.line - b.line);
}

export const PreviewPage: FC<PreviewProps> = (p) => {
  const valid = p.rows.filter((r) => r.errors.length === 0).length;
  const invalid = p.rows.length - valid;
  const drawn = rowsToShow(p.rows);
  return (
    <section>
      <p>
        <a href={p.path}>Choose another file</a>
      </p>
      <h1>{p.title}: check the rows</h1>
      <FormError error={p.refusal} />
      <p>
        {p.fileName}: {plural(p.rows.length, 'row', 'rows')}.{' '}
        <strong>{valid.toLocaleString('en')} valid</strong>,{' '}
        <strong>{plural(invalid, 'row', 'rows')} with errors</strong>. Nothing has been imported yet.
      </p>
      <div class="table-wrap">
        <table>
          <caption>Rows of {p.fileName}</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              {p.shown.map((name) => (
                <th scope="col">{name}</th>
              ))}
              <th scope="col">Errors</th>
            </tr>
          </thead>
          <tbody>
            {drawn.map((r) => (
              <tr class={r.errors.length > 0 ? 'row-invalid' : undefined}>
                <td>{r.line}</td>
                {p.shown.map((name) => (
                  <td>{r.values[name]}</td>
                ))}
                <td>
                  {r.errors.length === 0 ? (
                    'None'
                  ) : (
                    <ul class="row-errors">
                      {r.errors.map((e) => (
                        <li>{e}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {drawn.length < p.rows.length ? (
        <p class="hint">
          Showing {drawn.length.toLocaleString('en')} of {p.rows.length.toLocaleString('en')} rows: every row
          with errors first, then the first valid ones.
        </p>
      ) : null}
      <Form action={`${p.path}/confirm`}>
        <input type="hidden" name="id" value={p.id} />
        {invalid === 0 ? (
          <button type="submit" name="rows" value="all">
            Import all {plural(valid, p.noun.one, p.noun.many)}
          </button>
        ) : valid > 0 ? (
          <>
            <p>
              You may import the valid rows now and leave out the {plural(invalid, 'row', 'rows')} with
              errors, or correct the file and upload it again.
            </p>
            <button type="submit" name="rows" value="valid">
              Import the {plural(valid, 'valid row', 'valid rows')}
            </button>
          </>
        ) : (
          <p>No row can be imported. Correct the file and upload it again.</p>
        )}
      </Form>
    </section>
  );
};
