/**
 * "Recently changed clients" on the staff home page: the few clients this person may see that
 * changed last. Kept rendered per person until a client or anyone's roles change.
 */
import { raw } from 'hono/html';
import { VersionedCache } from '../db/versioned-cache.js';
import type { HomePanel, HomePanelProps } from '../home/index.js';
import type { FeatureDeps } from '../host/index.js';
import { toHtml } from '../http/render.js';
import { formatDateTime } from '../http/time.js';
import { canAnywhere, visibleEntities } from '../permissions/index.js';
import { recentlyChanged } from './queries.js';
import { ENTITY_KINDS } from './schema.js';

const SHOWN = 5;

export function recentEntitiesPanel({ db }: FeatureDeps) {
  const rendered = new VersionedCache<string>(500);
  return async ({ actor, counts, words, timeZone }: HomePanelProps): Promise<HomePanel | null> => {
    if (!canAnywhere(actor, 'entity.summary:R')) return null;
    // Each count only grows, so their sum moves whenever any of them does.
    const version = counts.clients + counts.permissions;
    const html = await rendered.get(`${actor.user.id} ${timeZone} ${words.one}`, version, async () => {
      const rows = await recentlyChanged(db, visibleEntities(db, actor, 'entity.summary:R', 'e.id'), SHOWN);
      return toHtml(
        rows.length ? (
          <>
            <ul class="panel-list">
              {rows.map((r) => (
                <li>
                  <a href={`/entities/${r.id}`}>{r.name}</a>{' '}
                  <span class="muted">
                    {ENTITY_KINDS[r.kind]}
                    {r.reference ? ` · ${r.reference}` : ''} · changed{' '}
                    <time datetime={new Date(r.updated_at).toISOString()}>
                      {formatDateTime(r.updated_at, timeZone)}
                    </time>
                  </span>
                </li>
              ))}
            </ul>
            <p>
              <a href="/entities">All {words.many.toLowerCase()}</a>
            </p>
          </>
        ) : (
          <p>No {words.many.toLowerCase()} yet.</p>
        ),
      );
    });
    return { id: 'recent-entities', title: `Recently changed ${words.many.toLowerCase()}`, body: raw(html) };
  };
}
