/** GET /: the staff home page. Shows the team to those who may see staff; more arrives with entities. */
import { Hono } from 'hono';
import { can, requireStaff } from '../permissions/index.js';
import { listStaff } from '../staff/queries.js';
import { StaffTable } from '../staff/views.js';
import type { AppDeps } from './context.js';
import { page } from './render.js';

export function homeRoutes({ db }: AppDeps): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const actor = requireStaff(c);
    // The home page's team table is a directory: names, emails, status. Roles live on /staff.
    const team = can(actor, 'staff.summary:R')
      ? await listStaff(db, { q: '', page: 1, count: false, roles: false })
      : null;
    return page(
      c,
      'Home',
      <section>
        <h1>Welcome, {actor.user.first_name}</h1>
        {team ? (
          <>
            <StaffTable rows={team.rows} caption="Your team" showRoles={false} />
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
