/** GET /: the staff home page. Shows the team to those who may see staff; more arrives with entities. */
import { Hono } from 'hono';
import { raw } from 'hono/html';
import { VersionedCache } from '../db/versioned-cache.js';
import type { AppDeps } from '../http/context.js';
import { page, toHtml } from '../http/render.js';
import { can, requireSignedIn, requireStaff, signedInRoute } from '../permissions/index.js';
import { listStaff, StaffTable } from '../staff/index.js';

export function homeRoutes({ db }: AppDeps): Hono {
  const app = new Hono();
  // The team table reads the same for everyone who may see it, and changes only with `users`.
  const teams = new VersionedCache<{ html: string; more: boolean }>(1);
  const teamTable = (usersChanges: number) =>
    teams.get('team', usersChanges, async () => {
      const { rows, more } = await listStaff(db, { q: '', page: 1, count: false, roles: false });
      return { html: await toHtml(<StaffTable rows={rows} caption="Your team" showRoles={false} />), more };
    });
  // Signed in is all the redirect of a contact to their portal needs; staff go on to requireStaff.
  app.get('/', signedInRoute, async (c) => {
    // A contact's home is the client portal.
    if (requireSignedIn(c).user.kind === 'contact') return c.redirect('/portal', 302);
    const actor = requireStaff(c);
    // The home page's team table is a directory: names, emails, status. Roles live on /staff.
    const counts = c.get('changeCounts');
    if (!counts) throw new Error('a signed-in request without change counts');
    const team = can(actor, 'staff.summary:R') ? await teamTable(counts.users) : null;
    return page(
      c,
      'Home',
      <section>
        <h1>Welcome, {actor.user.first_name}</h1>
        {team ? (
          <>
            {raw(team.html)}
            {team.more ? (
              <p>
                <a href="/staff">All staff</a>
              </p>
            ) : null}
          </>
        ) : (
          <p>Nothing has been shared with you yet. Your firm's Admins can give you access.</p>
        )}
      </section>,
    );
  });
  return app;
}
