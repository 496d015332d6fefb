/**
 * An entity's workspace: the header (its name, kind, reference, and the facts other features give
 * through 'entity.header') and the tab bar ('entity.tabs') around the page of one tab. Each tab is
 * a page of its own: without JavaScript its link loads the page; with htmx it swaps only the tab
 * bar and the panel (so the current mark moves with it), pushes the address, and the request gets
 * only that part. Features render their tabs inside with `entityWorkspace`, plugins through the
 * 'entity.workspace' frame; nothing here knows which tabs exist.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Child, FC } from 'hono/jsx';
import { SHOW_REFUSALS_IN_MAIN } from '../../views/htmx.js';
import type { Db } from '../db/connect.js';
import type { EntityKind } from '../db/schema.js';
import { type EntityWords, wordsFor } from '../http/entity-words.js';
import { isFragmentRequest, page, toHtml } from '../http/render.js';
import { type Actor, authorizeOrNotFound, entityChain, NotFound } from '../permissions/index.js';
import { findEntity } from './queries.js';
import { ENTITY_KINDS } from './schema.js';
import type { EntityFact, EntityTab, WorkspacePage } from './slots.js';

/** What the header shows of the entity itself. */
export interface WorkspaceEntity {
  id: string;
  name: string;
  kind: EntityKind;
  reference: string;
}

/** The part a tab's link swaps: the tab bar and the panel. */
const REGION = 'entity-workspace';

/**
 * The entity, when the caller may read its summary; otherwise NotFound, exactly what a missing id
 * gets (an entity someone may not see must not be told apart from one that does not exist).
 */
export async function visibleEntity(db: Db, c: Context, id: string) {
  const actor = authorizeOrNotFound(c, 'entity.summary:R', entityChain(id));
  const entity = await findEntity(db, id);
  if (!entity) throw new NotFound();
  return { actor, entity };
}

/**
 * Renders `body` as the page of tab `tab` in the entity's workspace: the whole page, or only the
 * tab bar and panel for htmx. The caller has already decided the actor may see the entity and use
 * this tab.
 * @example return entityWorkspace(c, { actor, entity, tab: 'access', title: 'People and access', body: <AccessPanel … /> });
 */
export async function entityWorkspace(
  c: Context,
  p: WorkspacePage & { actor: Actor; entity: WorkspaceEntity },
): Promise<Response> {
  const host = c.get('host');
  const about = {
    actor: p.actor,
    entity: { id: p.entity.id, name: p.entity.name },
    counts: c.get('changeCounts'),
  };
  const tabs = (await host.slots.fill('entity.tabs', about)).sort((a, b) => a.order - b.order);
  const words = wordsFor(c);
  const title = p.title ? `${p.title} · ${p.entity.name}` : p.entity.name;
  const region = (
    <Region words={words} tabs={tabs} current={p.tab} path={c.req.path}>
      {p.body}
    </Region>
  );
  if (isFragmentRequest(c)) {
    // The window's title moves with the tab: htmx takes a <title> from the answer. Written as the
    // shell writes it (views/layout.tsx), with `html` rather than JSX for the reason given there.
    const firm = c.get('organization')?.name ?? 'Portico';
    return c.html(await toHtml([html`<title>${title} · ${firm}</title>`, region]), p.status ?? 200);
  }
  const facts = await host.slots.fill('entity.header', about);
  // Whichever feature's route drew it, a client's workspace is inside Clients.
  c.set('navPath', '/entities');
  return page(
    c,
    title,
    <Workspace words={words} entity={p.entity} facts={facts}>
      {region}
    </Workspace>,
    p.status,
  );
}

const Workspace: FC<{
  words: EntityWords;
  entity: WorkspaceEntity;
  facts: EntityFact[];
  children: Child;
}> = (p) => {
  const facts: EntityFact[] = [
    { label: 'Kind', text: ENTITY_KINDS[p.entity.kind] },
    ...(p.entity.reference ? [{ label: 'Reference', text: p.entity.reference }] : []),
    ...p.facts,
  ];
  return (
    <div class="workspace">
      <div class="workspace-head">
        <p class="workspace-up">
          <a href="/entities">All {p.words.many.toLowerCase()}</a>
        </p>
        <h1>{p.entity.name}</h1>
        <dl class="workspace-facts">
          {facts.map((f) => (
            <div>
              <dt>{f.label}</dt>
              <dd>{f.href ? <a href={f.href}>{f.text}</a> : f.text}</dd>
            </div>
          ))}
        </dl>
      </div>
      {p.children}
    </div>
  );
};

/**
 * The tab bar and the panel. Tabs are links, not ARIA tabs: each is a page. Its link is
 * aria-current "page" on the tab's own address, and "true" on a page inside the tab (a form shown
 * again after a refused post). Each link keeps its id across a swap, so htmx gives focus back to
 * the link that was followed.
 */
const Region: FC<{
  words: EntityWords;
  tabs: EntityTab[];
  current: string;
  path: string;
  children: Child;
}> = (p) => (
  <div id={REGION} class="workspace-body">
    <nav class="workspace-tabs" aria-label={`${p.words.one} sections`}>
      <ul>
        {p.tabs.map((t) => (
          <li>
            <a
              id={`entity-tab-${t.id}`}
              class="workspace-tab"
              href={t.href}
              hx-get={t.href}
              hx-target={`#${REGION}`}
              hx-swap="outerHTML"
              hx-push-url="true"
              {...SHOW_REFUSALS_IN_MAIN}
              aria-current={t.id !== p.current ? undefined : t.href === p.path ? 'page' : 'true'}
            >
              {t.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
    <div class="workspace-panel">{p.children}</div>
  </div>
);
