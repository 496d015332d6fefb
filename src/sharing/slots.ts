/** The places on an entity's People and access tab that other features fill. */
import type { Child } from 'hono/jsx';
import type { EntitySlotProps } from '../entities/index.js';

declare module '../host/slots.js' {
  interface Slots {
    /** Sections after who can see the entity, for those who may share it ("Share in Client Portal"). */
    'entity.access': { props: EntitySlotProps; gives: Child };
  }
}
