/** The places on an entity's page that other features fill. */
import type { Child } from 'hono/jsx';
import type { ActionLink } from '../../views/action-links.js';
import type { Actor } from '../permissions/index.js';

export interface EntitySlotProps {
  actor: Actor;
  entity: { id: string; name: string };
}

declare module '../host/slots.js' {
  interface Slots {
    /** Links under the entity's name ("Client Portal Notifications", "Who can see it"). */
    'entity.links': { props: EntitySlotProps; gives: readonly ActionLink[] };
    /** Sections between the links and the Summary ("Share in Client Portal"). */
    'entity.panels': { props: EntitySlotProps; gives: Child };
  }
}
