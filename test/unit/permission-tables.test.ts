/**
 * The permission module is the one door to the role tables: outside src/permissions/ no code names
 * role_bindings or role_permissions, or reads or writes the roles table. Features ask the module
 * (bindings-queries.ts, custom-role-store.ts, portal-members.ts) instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The module itself, and the table types every query is checked against. */
const ALLOWED = new Set(['src/db/schema.ts']);

const TABLE_NAMES = /\brole_(bindings|permissions)\b/;
const ROLES_TABLE =
  /\b(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|replaceInto|mergeInto)\(\s*['"`]roles(\s+as\s+\w+)?['"`]/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

/** `file:line` of each line reaching the role tables. */
function reaches(file: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, i) => (TABLE_NAMES.test(line) || ROLES_TABLE.test(line) ? [`${file}:${i + 1}`] : []));
}

describe('the role tables are read and written only in src/permissions/', () => {
  it('finds no query over them anywhere else in src/', () => {
    const found = sourceFiles('src')
      .filter((f) => !f.startsWith('src/permissions/') && !ALLOWED.has(f))
      .flatMap((f) => reaches(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('would find each way of reaching them, and not a form field named roles', () => {
    const samples = [
      ".selectFrom('role_bindings as rb')",
      "trx.deleteFrom('role_permissions')",
      "db.selectFrom('roles').select(['id', 'name'])",
      ".innerJoin('roles as r', 'r.id', 'rb.role_id')",
      "trx.updateTable('roles').set({ name })",
    ];
    for (const line of samples) expect(reaches('x.ts', line), line).toEqual(['x.ts:1']);
    expect(reaches('x.ts', "roles: list(form, 'roles'),")).toEqual([]);
  });
});
