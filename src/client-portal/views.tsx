/**
 * The client's side: the contact home, and the Client portal section of a contact's page (the
 * switch, when they last signed in, and "Resend invitation").
 */
import type { Child, FC } from 'hono/jsx';
import { Form } from '../../views/forms.js';

export interface PortalHomeProps {
  firmName: string;
  name: string;
  entityWord: { one: string; lower: string };
  entities: { id: string; name: string }[];
  selected: { id: string; name: string } | null;
  /** What other features show under the welcome (the slot 'portal.header'). */
  header?: readonly Child[];
  /** The sections other features fill for the selected entity (the slot 'portal.sections'). */
  sections?: readonly { title: string; body: Child }[];
}

const EMPTY_SECTIONS = ['Files', 'Requests', 'Messages'] as const;

export const PortalHome: FC<PortalHomeProps> = (p) => (
  <section>
    <p>{p.firmName} · Client portal</p>
    <h1>Welcome, {p.name}</h1>
    {p.header}
    {p.entities.length > 1 ? (
      <form method="get" action="/portal" class="inline">
        <label for="portal-entity">{p.entityWord.one}</label>
        <select id="portal-entity" name="entity">
          {p.entities.map((e) => (
            <option value={e.id} selected={e.id === p.selected?.id}>
              {e.name}
            </option>
          ))}
        </select>
        <button type="submit">Switch</button>
      </form>
    ) : null}
    {p.selected ? (
      <>
        <h2>{p.selected.name}</h2>
        {EMPTY_SECTIONS.map((title) => (
          <section aria-label={title}>
            <h3>{title}</h3>
            {p.sections?.find((s) => s.title === title)?.body ?? <p>Nothing here yet.</p>}
          </section>
        ))}
      </>
    ) : (
      <p>Nothing has been shared with you yet.</p>
    )}
  </section>
);

/** On a contact's page: the switch's state, and the button to flip it for those who may. */
export const PortalSwitch: FC<{
  contactId: string;
  on: boolean;
  canSignIn: boolean;
  mayChange: boolean;
  /** How the firm calls an entity, lower case ("client"). */
  entityWord: string;
  /** The portals (that the viewer may see) the contact is a member of. */
  portals: { id: string; name: string; access: string }[];
  /** When they last signed in, in the firm's time zone; null: never. */
  lastSignedIn: string | null;
}> = (p) => (
  <section aria-labelledby="client-portal">
    <h2 id="client-portal">Client portal</h2>
    <p>
      {p.on
        ? 'On: this contact may sign in to the client portal with an emailed link.'
        : 'Off: this contact cannot sign in.'}
    </p>
    {p.on && !p.canSignIn ? (
      <p class="hint">
        They cannot sign in yet: nothing is shared with them (or their account is disabled). Share a{' '}
        {p.entityWord} with them on its page, under Share in Client Portal, and they are emailed an
        invitation.
      </p>
    ) : null}
    {p.portals.length > 0 ? (
      <p>
        Member of{' '}
        {p.portals.map((portal, i) => (
          <>
            {i > 0 ? ', ' : null}
            <a href={`/portals/${portal.id}`}>{portal.name}</a> ({portal.access})
          </>
        ))}
        .
      </p>
    ) : null}
    <dl>
      <dt>Last signed in</dt>
      <dd>{p.lastSignedIn ?? 'Never'}</dd>
    </dl>
    {p.mayChange && p.on && p.canSignIn ? (
      <Form action={`/contacts/${p.contactId}/portal/resend`}>
        <p class="hint" id="resend-hint">
          Emails a new “Go to Client Portal” link; links sent before stop working.
        </p>
        <button type="submit" class="secondary" aria-describedby="resend-hint">
          Resend invitation
        </button>
      </Form>
    ) : null}
    {p.mayChange ? (
      <Form action={`/contacts/${p.contactId}/portal`}>
        <input type="hidden" name="portal" value={p.on ? 'off' : 'on'} />
        <button type="submit" class={p.on ? 'secondary' : undefined}>
          {p.on ? 'Turn off Client portal' : 'Turn on Client portal and email an invitation'}
        </button>
      </Form>
    ) : null}
  </section>
);
