/** The staff home page's slot: "what needs me", one panel a feature. */
import type { Child } from 'hono/jsx';
import type { ChangeCounts } from '../db/change-counters.js';
import type { EntityWords } from '../http/entity-words.js';
import type { Actor } from '../permissions/index.js';

export interface HomePanelProps {
  /** A staff member: contacts never see the staff home. */
  actor: Actor;
  /**
   * The database's change counts, read before anything on the page: a filler may keep what it
   * rendered for this person while the counts it depends on stay the same (VersionedCache).
   */
  counts: ChangeCounts;
  words: EntityWords;
  /** The firm's time zone, for dates. */
  timeZone: string;
}

export interface HomePanel {
  /** Unique on the page, e.g. the feature's id; lowercase letters, digits and hyphens. */
  id: string;
  title: string;
  body: Child;
}

declare module '../host/slots.js' {
  interface Slots {
    /** Panels of what needs this person now; a filler gives null when nothing does or they may not see it. */
    'home.panels': { props: HomePanelProps; gives: HomePanel };
  }
}
