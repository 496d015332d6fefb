/**
 * "Portal invitations not yet accepted" on the staff home page: contacts given portal access who
 * have never signed in, so staff can chase them or send a new link from the contact's page. Kept
 * rendered per person until a contact, a link, someone's roles or the people change.
 */
import { raw } from 'hono/html';
import { VersionedCache } from '../db/versioned-cache.js';
import type { HomePanel, HomePanelProps } from '../home/index.js';
import type { FeatureDeps } from '../host/index.js';
import { toHtml } from '../http/render.js';
import { formatDateTime } from '../http/time.js';
import { canAnywhere, visibleContacts } from '../permissions/index.js';
import { pendingInvitations } from './queries.js';

const SHOWN = 5;

export function pendingInvitationsPanel({ db }: FeatureDeps) {
  const rendered = new VersionedCache<string | null>(500);
  return async ({ actor, counts, timeZone }: HomePanelProps): Promise<HomePanel | null> => {
    if (!canAnywhere(actor, 'contact.summary:R')) return null;
    const version = counts.clients + counts.permissions + counts.users;
    const html = await rendered.get(`${actor.user.id} ${timeZone}`, version, async () => {
      const visible = visibleContacts(db, actor, 'contact.summary:R', 'cp.client_entity_id');
      const rows = await pendingInvitations(db, visible, SHOWN);
      if (!rows.length) return null;
      return toHtml(
        <ul class="panel-list">
          {rows.map((r) => (
            <li>
              <a href={`/contacts/${r.id}`}>
                {r.first_name} {r.last_name}
              </a>{' '}
              <span class="muted">
                {r.client ? `${r.client} · ` : ''}
                {r.invited_at === null ? (
                  'no invitation sent yet'
                ) : (
                  <>
                    invited{' '}
                    <time datetime={new Date(r.invited_at).toISOString()}>
                      {formatDateTime(r.invited_at, timeZone)}
                    </time>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>,
      );
    });
    return html === null
      ? null
      : { id: 'pending-invitations', title: 'Portal invitations not yet accepted', body: raw(html) };
  };
}
