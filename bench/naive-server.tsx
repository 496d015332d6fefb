/**
 * A reference point for `npm run bench`, not part of Portico: the "naive version" the foundation
 * issue compares against (a session join, a bindings query and a Hono JSX page with a 25-row
 * table), written as directly as possible: better-sqlite3 prepared statements, no Kysely, no
 * middleware, no CSP, no permission checks beyond "has any binding". It reads the same seeded
 * database file (DB_FILE) and serves GET / for the `portico_session` cookie on PORT.
 */
import { serve } from '@hono/node-server';
import SQLite from 'better-sqlite3';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { hashToken } from '../src/kernel/tokens.js';

interface Person {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
}

const db = new SQLite(process.env.DB_FILE ?? '', { readonly: true });
const session = db.prepare(
  'select u.id, u.first_name, u.last_name, u.email from sessions s join users u on u.id = s.user_id where s.id = ? and s.expires_at > ?',
);
const bindings = db.prepare('select role_id, scope_type, scope_id from role_bindings where user_id = ?');
const staff = db.prepare(
  "select id, first_name, last_name, email from users where kind = 'staff' order by last_name, first_name, id limit 25",
);

const Page = ({ me, rows }: { me: Person; rows: Person[] }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <title>Home</title>
      <link rel="stylesheet" href="/static/app.css" />
    </head>
    <body>
      <header>
        <nav>
          <a href="/">Home</a> <a href="/staff">Staff</a> <a href="/settings">Settings</a>
        </nav>
        <span>
          {me.first_name} {me.last_name}
        </span>
      </header>
      <main>
        <h1>Welcome, {me.first_name}</h1>
        <table>
          <caption>Your team</caption>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/staff/${r.id}`}>
                    {r.first_name} {r.last_name}
                  </a>
                </td>
                <td>{r.email}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </main>
    </body>
  </html>
);

const app = new Hono();
app.get('/', async (c) => {
  const token = getCookie(c, 'portico_session');
  const me = token ? (session.get(hashToken(token), Date.now()) as Person | undefined) : undefined;
  if (!me || bindings.all(me.id).length === 0) return c.text('sign in', 401);
  const html = await (<Page me={me} rows={staff.all() as Person[]} />).toString();
  return c.html(`<!DOCTYPE html>${html}`);
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3200), hostname: '127.0.0.1' });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
