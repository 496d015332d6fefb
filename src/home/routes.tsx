/**
 * GET /: the staff home page, "what needs me". Features fill it through the slot 'home.panels'
 * (src/home/slots.ts), each with what needs this person now and only what they may see.
 */
import { Hono } from 'hono';
import type { RouteDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { page } from '../http/render.js';
import { canAnywhere, requireSignedIn, requireStaff, signedInRoute } from '../permissions/index.js';
import './slots.js';
import { WrittenPanels } from './written-panels.js';

export function homeRoutes({ host }: RouteDeps): Hono {
  const app = new Hono();
  const written = new WrittenPanels(500);
  // Signed in is all the redirect of a contact to their portal needs; staff go on to requireStaff.
  app.get('/', signedInRoute, async (c) => {
    // A contact's home is the client portal.
    if (requireSignedIn(c).user.kind === 'contact') return c.redirect('/portal', 302);
    const actor = requireStaff(c);
    const counts = c.get('changeCounts');
    if (!counts) throw new Error('a signed-in request without change counts');
    const timeZone = c.get('organization')?.time_zone ?? 'UTC';
    const panels = await host.slots.fill('home.panels', { actor, counts, words: wordsFor(c), timeZone });
    return page(
      c,
      'Home',
      <section>
        <h1>Welcome, {actor.user.first_name}</h1>
        {panels.length ? (
          written.for(actor.user.id, panels)
        ) : canAnywhere(actor, 'entity.summary:R') ? (
          <p>Nothing needs you right now.</p>
        ) : (
          <p>Nothing has been shared with you yet. Your firm's Admins can give you access.</p>
        )}
      </section>,
    );
  });
  return app;
}
