/** The places on the client's side that other features and plugins fill. */
import type { Child } from 'hono/jsx';
import type { Actor } from '../permissions/index.js';

declare module '../host/slots.js' {
  interface Slots {
    /**
     * Under the welcome on a contact's portal home (a notice from the firm, what is waiting for
     * them), for the client they are looking at; `entity` is null when nothing is shared yet.
     */
    'portal.header': { props: { actor: Actor; entity: { id: string; name: string } | null }; gives: Child };
    /**
     * A section of the client's page about the entity they are looking at (Files, Requests,
     * Messages): `title` names the section; one no feature fills says "Nothing here yet".
     */
    'portal.sections': {
      props: { actor: Actor; entity: { id: string; name: string } };
      gives: { title: string; body: Child };
    };
  }
}
