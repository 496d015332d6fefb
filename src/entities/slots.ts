/**
 * The places in an entity's workspace that other features fill (its tabs, the facts under its
 * name, the Overview's links and sections), and the workspace frame they render their own tabs
 * inside. A filler asks the permission module whether this actor may use what it gives, and gives
 * null when not: a tab nobody may open is never shown.
 */
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ActionLink } from '../../views/action-links.js';
import type { ChangeCounts } from '../db/change-counters.js';
import type { Actor } from '../permissions/index.js';

export interface EntitySlotProps {
  actor: Actor;
  entity: { id: string; name: string };
  /** The database's change counts as this request read them (src/db/change-counters.ts), for what keeps a value. */
  counts?: ChangeCounts | null;
}

/** One tab of the workspace: a page of its own at `href`, linked from the tab bar. */
export interface EntityTab {
  /** Unique among the tabs ('overview', 'files', 'access'); a page names its tab by it. */
  id: string;
  label: string;
  /** The tab's page, e.g. `/entities/${id}/files` or `/p/<plugin>/entities/${id}`. */
  href: string;
  /**
   * Lower shows first. Overview 0, Files 20, Requests 30, Messages 40, Notes 50, People and
   * access 80, Settings 90; a plugin's tab fits between (60, 70) or after.
   */
  order: number;
}

/** A short fact under the entity's name ("Portal: Family portal"), linked where there is more. */
export interface EntityFact {
  label: string;
  text: string;
  href?: string;
}

/** What a page in the workspace gives the frame: which tab it is, its title and its content. */
export interface WorkspacePage {
  /** The id of the tab the page belongs to: its link is marked current. */
  tab: string;
  /** What the page is, shown before the entity's name in the window's title ("Settings"). */
  title: string;
  /** The tab's content, under the tab bar; it starts with an h2 (the h1 is the entity's name). */
  body: Child;
  /** 422 for a form shown again with its errors. */
  status?: ContentfulStatusCode;
}

declare module '../host/slots.js' {
  interface Slots {
    /** The workspace's tabs: one each, for those who may open it. */
    'entity.tabs': { props: EntitySlotProps; gives: EntityTab };
    /** Facts under the entity's name, after its kind and reference ("Who can see it: 4 people"). */
    'entity.header': { props: EntitySlotProps; gives: EntityFact };
    /** Links at the top of the Overview ("Client Portal Notifications", "Add a contact"). */
    'entity.links': { props: EntitySlotProps; gives: readonly ActionLink[] };
    /** Sections of the Overview, above the Details. */
    'entity.panels': { props: EntitySlotProps; gives: Child };
  }
}

declare module '../host/frames.js' {
  interface Frames {
    /**
     * The workspace of the entity `entityId`: its header and tab bar around `body`. The entity
     * must be one the caller may see (Summary read); any other id answers exactly like a missing
     * one (404).
     */
    'entity.workspace': { props: WorkspacePage & { entityId: string } };
  }
}
