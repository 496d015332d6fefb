/**
 * The example plugin: everything a plugin can do, small. It keeps a log of the clients created
 * while it runs (an event listener writing to its own table, made by its own migration), adds an
 * "Example log" tab to each client's workspace showing that client's rows (a view slot, a route
 * and the workspace frame), lists the latest on the staff home page (a panel in the slot
 * 'home.panels'), shows the whole log on its own page (a route and a nav item), lets an Admin mark
 * the log reviewed (an audit line), adds the firm's chosen footer line to every email (the slot
 * 'mail.footer' and a setting) and, when the firm chose one, gives the client portal its colour (the
 * filter 'portal.theme' and an optional setting). docs/plugins.md walks through it.
 */
import type { Kysely } from 'kysely';
import * as v from 'valibot';
import { definePlugin, markup, themeColourProblem } from '../../src/plugins/index.js';

/** The plugin's own tables: every name starts with its id. */
interface ExampleTables {
  example_activity: { event_id: string; entity_id: string; entity_name: string; at: number };
}

export default definePlugin<ExampleTables>({
  id: 'example',
  version: '1.0.0',
  host: '^1',
  settings: {
    fields: v.object({
      footer: v.pipe(
        v.string(),
        v.trim(),
        v.nonEmpty('Enter the line to add at the foot of every email.'),
        v.maxLength(200, 'The footer line must be at most 200 characters.'),
      ),
      // Optional: left empty, the portal keeps Portico's colour.
      portalColour: v.pipe(
        v.optional(v.string(), ''),
        v.trim(),
        v.toLowerCase(),
        v.check((colour) => colour === '' || themeColourProblem(colour) === null, (issue) =>
          themeColourProblem(String(issue.input)) ?? 'Enter a colour such as #1f5f8b.'),
      ),
    }),
    labels: { footer: 'Email footer line', portalColour: 'Client portal colour (optional, such as #1f5f8b)' },
  },
  migrations: {
    '001_activity': {
      async up(db: Kysely<unknown>) {
        await (db as Kysely<ExampleTables>).schema
          .createTable('example_activity')
          .addColumn('event_id', 'text', (c) => c.primaryKey())
          .addColumn('entity_id', 'text', (c) => c.notNull())
          .addColumn('entity_name', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    // The home page's panel and the log page read the latest first.
    '002_activity_at': {
      async up(db: Kysely<unknown>) {
        await (db as Kysely<ExampleTables>).schema
          .createIndex('example_activity_at')
          .on('example_activity')
          .column('at')
          .execute();
      },
    },
  },
  register(ctx) {
    // The event id is the row's key: a repeated delivery could never log a client twice.
    ctx.on('entity.created', async (event, { db, eventId, at }) => {
      await db
        .insertInto('example_activity')
        .values({ event_id: eventId, entity_id: event.object.id ?? '', entity_name: event.object.label, at })
        .execute();
      // In the same transaction: the home panels kept from the log are made afresh.
      await ctx.changed(db);
    });

    // A tab in each client's workspace, for whoever sees the client; its page is the route below.
    ctx.slot('entity.tabs', ({ actor, entity }) =>
      ctx.lookup.can(actor, 'entity.summary:R', ctx.lookup.entityChain(entity.id))
        ? { id: 'example-log', label: 'Example log', href: `/p/example/entities/${entity.id}`, order: 60 }
        : null,
    );

    // "What needs me" on the staff home page: the latest logged clients this person may see, kept
    // per person, written out once, until the log or anyone's roles change (every home page asks).
    ctx.slot('home.panels', async ({ actor, counts }) => {
      const body = await ctx.keep(actor.user.id, counts.plugins + counts.permissions, async () => {
        const rows = await ctx.db.selectFrom('example_activity').selectAll().orderBy('at', 'desc').limit(20).execute();
        const seen = rows.filter((r) => ctx.lookup.can(actor, 'entity.summary:R', ctx.lookup.entityChain(r.entity_id))).slice(0, 3);
        return seen.length
          ? markup(
              <ul class="panel-list">
                {seen.map((r) => (
                  <li>
                    <a href={`/entities/${r.entity_id}`}>{r.entity_name}</a>
                  </li>
                ))}
              </ul>,
            )
          : null;
      });
      return body ? { id: 'example-log', title: 'Example log', body } : null;
    });

    // Plain text: the host writes it into both parts of the email, escaped.
    ctx.slot('mail.footer', () => String(ctx.settings().footer ?? '') || null);

    ctx.filter('portal.theme', (theme) => {
      const colour = String(ctx.settings().portalColour ?? '');
      return colour ? { ...theme, primary: colour } : theme;
    });

    ctx.nav({ href: '/p/example', label: 'Example log', audience: 'staff', order: 100 });

    ctx.routes((app) => {
      // Any signed-in staff member (contacts are refused): each sees only the clients they may.
      app.get('/', ctx.signedInRoute, async (c) => {
        const actor = ctx.requireStaff(c);
        const rows = await ctx.db.selectFrom('example_activity').selectAll().orderBy('at', 'desc').limit(50).execute();
        // Only the clients this person may see, as everywhere else.
        const seen = rows.filter((r) => ctx.lookup.can(actor, 'entity.summary:R', ctx.lookup.entityChain(r.entity_id)));
        return ctx.page(
          c,
          'Example log',
          <ExamplePage rows={seen.map((r) => ({ id: r.entity_id, name: r.entity_name }))} mayReview={ctx.lookup.can(actor, 'organization:E')} />,
        );
      });
      // The tab: this client's rows, inside its workspace. A client the reader may not see, or one
      // that does not exist, answers 404 alike.
      app.get('/entities/:id', async (c) => {
        const entityId = c.req.param('id');
        ctx.authorizeOrNotFound(c, 'entity.summary:R', ctx.lookup.entityChain(entityId));
        const rows = await ctx.db
          .selectFrom('example_activity')
          .selectAll()
          .where('entity_id', '=', entityId)
          .orderBy('at', 'desc')
          .execute();
        const body = <EntityLog name={rows[0]?.entity_name ?? ''} times={rows.map((r) => Number(r.at))} />;
        return ctx.frame(c, 'entity.workspace', { entityId, tab: 'example-log', title: 'Example log', body });
      });
      app.post('/reviewed', async (c) => {
        ctx.authorize(c, 'organization:E');
        await ctx.db.transaction().execute(async (trx) => {
          const { n } = await trx.selectFrom('example_activity').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
          await ctx.audit(trx, { what: 'Example log reviewed', object: { type: 'plugin', id: 'example', label: 'Example log' }, after: { entries: Number(n) } });
        });
        return c.redirect('/p/example', 303);
      });
    });
  },
});


const ExamplePage = (p: { rows: { id: string; name: string }[]; mayReview: boolean }) => (
  <section>
    <h1>Example log</h1>
    {p.rows.length === 0 ? (
      <p>No clients logged yet.</p>
    ) : (
      <ul>
        {p.rows.map((r) => (
          <li>
            <a href={`/entities/${r.id}`}>{r.name}</a>
          </li>
        ))}
      </ul>
    )}
    {p.mayReview ? (
      <form method="post" action="/p/example/reviewed">
        <button type="submit">Mark the log reviewed</button>
      </form>
    ) : null}
  </section>
);

const EntityLog = (p: { name: string; times: number[] }) => (
  <section>
    <h2>Example log</h2>
    {p.times.length === 0 ? (
      <p>Nothing is logged for this client yet: it was created before the example plugin ran, or the log has not caught up with it.</p>
    ) : (
      <ul>
        {p.times.map((at) => (
          <li>
            {p.name} was created (logged <time datetime={new Date(at).toISOString()}>{new Date(at).toUTCString()}</time>).
          </li>
        ))}
      </ul>
    )}
    <p>
      <a href="/p/example">The whole example log</a>
    </p>
  </section>
);
