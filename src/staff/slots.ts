/** The places on a staff member's page that other features fill. */
import type { ActionLink } from '../../views/action-links.js';
import type { EntityWords } from '../http/entity-words.js';
import type { Actor } from '../permissions/index.js';

declare module '../host/slots.js' {
  interface Slots {
    /** Links under the name ("Assign to clients"); `href` is the page's own address. */
    'staff.links': {
      props: { actor: Actor; href: string; words: EntityWords };
      gives: readonly ActionLink[];
    };
  }
}
