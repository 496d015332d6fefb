/**
 * A plugin's database handle reaches only the plugin's own tables (`<id with _ for ->_…`). Every
 * query's operation tree is read before it runs: a table named otherwise, or any raw `sql`
 * (whose text cannot be read), is refused. The handle also refuses the doors that would skip
 * that reading (executeQuery, getExecutor, withoutPlugins, connection). This keeps a plugin to its
 * door and catches its mistakes; it is not a sandbox against a plugin written to do harm, which
 * runs in the firm's own process either way.
 */
import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Db } from '../db/connect.js';

export class TableRefused extends Error {}

/** `client-notes` → `client_notes_`: the prefix of every table the plugin may touch. */
export const tablePrefix = (pluginId: string) => `${pluginId.replaceAll('-', '_')}_`;

/**
 * Raw nodes the query builder makes itself, holding only a keyword: a sort direction, an index
 * method, a join's `on true`. Any other raw node is SQL the plugin wrote, which cannot be read.
 */
const BUILDER_KEYWORDS: Record<string, RegExp> = {
  OrderByItemNode: /^(asc|desc)(\s+nulls\s+(first|last))?$/i,
  CreateIndexNode: /^[a-z]+$/i,
  JoinNode: /^true$/,
};

const keywordOnly = (raw: unknown, allowed: RegExp | undefined) => {
  const r = raw as { kind?: string; sqlFragments?: readonly string[]; parameters?: readonly unknown[] };
  return (
    allowed !== undefined &&
    r.kind === 'RawNode' &&
    r.sqlFragments?.length === 1 &&
    (r.parameters?.length ?? 0) === 0 &&
    allowed.test(r.sqlFragments[0] ?? '')
  );
};

/** Every table an operation tree names, or 'raw' when it holds raw SQL. */
function* tablesIn(node: unknown): Generator<string> {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) yield* tablesIn(child);
    return;
  }
  const kind = (node as { kind?: unknown }).kind;
  if (kind === 'RawNode') yield 'raw';
  if (kind === 'TableNode') {
    const table = (node as { table: { schema?: { name: string }; identifier: { name: string } } }).table;
    yield table.schema ? `${table.schema.name}.${table.identifier.name}` : table.identifier.name;
  }
  const allowed = typeof kind === 'string' ? BUILDER_KEYWORDS[kind] : undefined;
  for (const value of Object.values(node))
    if (value && typeof value === 'object' && !keywordOnly(value, allowed)) yield* tablesIn(value);
}

class TableGuardPlugin implements KyselyPlugin {
  constructor(private readonly pluginId: string) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const prefix = tablePrefix(this.pluginId);
    for (const table of tablesIn(args.node)) {
      if (table === 'raw')
        throw new TableRefused(`plugin ${this.pluginId}: raw SQL is refused (use the query builder)`);
      if (!table.startsWith(prefix) || table.length === prefix.length)
        throw new TableRefused(
          `plugin ${this.pluginId}: table ${table} is not its own (its tables are named ${prefix}…)`,
        );
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const REFUSED = new Set([
  'executeQuery',
  'getExecutor',
  'withoutPlugins',
  'connection',
  'startTransaction',
  'withPlugin',
]);

function refuseDoors<T extends object>(handle: T, pluginId: string): T {
  return new Proxy(handle, {
    get(target, prop) {
      if (typeof prop === 'string' && REFUSED.has(prop))
        return () => {
          throw new TableRefused(
            `plugin ${pluginId}: ${prop} is refused (its text or tables cannot be checked)`,
          );
        };
      // Read with the target as `this`: Kysely keeps its state in private fields a proxy cannot reach.
      const value = Reflect.get(target, prop);
      if (prop === 'transaction' && typeof value === 'function')
        return () => {
          const builder = value.call(target);
          return refuseDoors(
            {
              execute: <R>(work: (trx: Db) => Promise<R>) =>
                builder.execute((trx: Db) => {
                  const guarded = refuseDoors(trx, pluginId);
                  // The host's database has no plugins of its own: without plugins is the plain transaction.
                  behind.set(guarded, trx.withoutPlugins() as Db);
                  return work(guarded);
                }),
              setIsolationLevel: (level: Parameters<typeof builder.setIsolationLevel>[0]) =>
                refuseDoors(builder.setIsolationLevel(level), pluginId),
            },
            pluginId,
          );
        };
      if (prop === 'schema') return refuseDoors(value as object, pluginId);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// Each guarded handle's own database handle: the host's doors (mail, audit) write through it.
const behind = new WeakMap<object, Db>();
// biome-ignore lint/suspicious/noExplicitAny: a guarded handle is typed by its plugin's own tables
type AnyDb = Kysely<any>;

/** `db` as the plugin `pluginId` may use it: its own tables only, no raw SQL. */
export function guardedDb<DB = AnyDb>(db: AnyDb, pluginId: string): Kysely<DB> {
  const guarded = refuseDoors(db.withPlugin(new TableGuardPlugin(pluginId)), pluginId);
  behind.set(guarded, db as Db);
  return guarded as unknown as Kysely<DB>;
}

/** The handle behind a guarded one, for the host's own writes in the plugin's transaction. */
export function unguarded(guarded: object): Db {
  const db = behind.get(guarded);
  if (!db) throw new TableRefused('pass ctx.db, or the db a listener or migration was given');
  return db;
}
