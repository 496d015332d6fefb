/** The places on a contact's page that other features fill. */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ActionLink } from '../../views/action-links.js';
import type { EntityWords } from '../http/entity-words.js';
import type { Actor } from '../permissions/index.js';
import type { Contact } from './queries.js';

declare module '../host/slots.js' {
  interface Slots {
    /** Links under the name ("Assign to clients"); `href` is the page's own address. */
    'contact.links': {
      props: { actor: Actor; href: string; words: EntityWords };
      gives: readonly ActionLink[];
    };
    /** Sections at the foot of the page, for those who may read its details ("Client portal"). */
    'contact.panels': {
      props: { c: Context; actor: Actor; contact: Contact; mayEdit: boolean };
      gives: Child;
    };
  }
}
