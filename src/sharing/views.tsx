/**
 * "Assign to Entities" (roles a person or group holds at entities, what they inherit, and giving
 * more) and an entity's People and access tab (every role behind access, why one person can see
 * it, revoking, and giving someone access).
 */
import type { Child, FC } from 'hono/jsx';
import { CheckboxGroup, Field, type FieldErrors, Form, FormError, RadioGroup } from '../../views/forms.js';
import type { EntityChoice } from '../entities/index.js';
import type { entityWords } from '../http/entity-words.js';
import type { AccessRow, EntityRoleChoice } from '../permissions/index.js';

type Words = ReturnType<typeof entityWords>;

export interface InheritedRow {
  roleName: string;
  /** The entity it is bound at, or null for every entity (the system scope) or a portal. */
  entity: { id: string; name: string } | null;
  /** The portal it is bound at (covering the portal's entities). */
  portal?: { id: string; name: string } | null;
  /** The group it comes through ('hidden' when the viewer may not see groups), or null when given directly. */
  group: { name: string; href: string } | 'hidden' | null;
}

export type DirectRow = InheritedRow & { bindingId: string };

/** The value of the "every entity" choice among the entities to tick. */
export const ALL_ENTITIES = 'all';

/** A button whose visible text is short and whose accessible name says what it acts on. */
const NamedButton: FC<{ text: string; more: string; class?: string }> = (p) => (
  <button type="submit" class={p.class}>
    {p.text}
    <span class="visually-hidden"> {p.more}</span>
  </button>
);

const where = (r: InheritedRow, words: Words) =>
  r.portal ? (
    <a href={`/portals/${r.portal.id}`}>Portal {r.portal.name}</a>
  ) : r.entity ? (
    <a href={`/entities/${r.entity.id}`}>{r.entity.name}</a>
  ) : (
    `All ${words.many.toLowerCase()}`
  );
const whereText = (r: InheritedRow, words: Words) =>
  r.portal ? `portal ${r.portal.name}` : (r.entity?.name ?? `all ${words.many.toLowerCase()}`);

export const InheritedTable: FC<{ rows: InheritedRow[]; words: Words; caption: string }> = (p) => (
  <div class="table-wrap">
    <table>
      <caption>{p.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Role</th>
          <th scope="col">Where</th>
          <th scope="col">Comes from</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.length === 0 ? (
          <tr>
            <td colspan={3}>Nothing inherited.</td>
          </tr>
        ) : (
          p.rows.map((r) => (
            <tr>
              <td>{r.roleName}</td>
              <td>{where(r, p.words)}</td>
              <td>
                {r.group === 'hidden' ? (
                  'A group'
                ) : r.group ? (
                  <a href={r.group.href}>Group {r.group.name}</a>
                ) : (
                  'Given directly'
                )}
              </td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  </div>
);

export interface AssignPageProps {
  words: Words;
  name: string;
  href: string;
  action: string;
  direct: DirectRow[];
  inherited: InheritedRow[];
  choices: EntityRoleChoice[];
  /** May "every entity" be chosen (Share at the system level, for staff)? */
  offerAll: boolean;
  picker: { q: string; ticked: string[]; options: EntityChoice[] };
  role: string | undefined;
  errors: FieldErrors;
}

export const AssignPage: FC<AssignPageProps> = (p) => {
  const many = p.words.many.toLowerCase();
  return (
    <section class="narrow">
      <p>
        <a href={p.href}>Back to {p.name}</a>
      </p>
      <h1>
        Assign {p.name} to {many}
      </h1>
      <FormError error={p.errors._form} />

      <h2>Roles at {many}</h2>
      <div class="table-wrap">
        <table>
          <caption>
            Roles given to {p.name} at {many}
          </caption>
          <thead>
            <tr>
              <th scope="col">{p.words.one}</th>
              <th scope="col">Role</th>
              <th scope="col">Remove</th>
            </tr>
          </thead>
          <tbody>
            {p.direct.length === 0 ? (
              <tr>
                <td colspan={3}>No roles at {many} you can see.</td>
              </tr>
            ) : (
              p.direct.map((r) => (
                <tr>
                  <td>{where(r, p.words)}</td>
                  <td>{r.roleName}</td>
                  <td>
                    <Form action={`${p.action}/remove`}>
                      <input type="hidden" name="binding" value={r.bindingId} />
                      <NamedButton
                        text="Remove"
                        more={`${r.roleName} at ${whereText(r, p.words)}`}
                        class="secondary"
                      />
                    </Form>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>

      <h2>Inherited</h2>
      <InheritedTable
        rows={p.inherited}
        words={p.words}
        caption={`Roles ${p.name} has through groups or for all ${many}`}
      />

      <h2>Assign roles</h2>
      <Form action={p.action}>
        <div class="field">
          <label for="f-q">Find {many} (name or reference)</label>
          {/* Before a search there is nothing to tick, so a refusal about the choice is shown here too. */}
          <input
            id="f-q"
            name="q"
            type="search"
            value={p.picker.q}
            aria-invalid={p.errors.entities ? 'true' : undefined}
            aria-describedby={p.errors.entities ? 'f-entities-error' : undefined}
          />
          <button
            type="submit"
            formmethod="get"
            formaction={p.action}
            name="search"
            value="1"
            class="secondary"
          >
            Find {many}
          </button>
        </div>
        <CheckboxGroup
          name="entities"
          legend={p.words.many}
          checked={p.picker.ticked}
          error={p.errors.entities}
          options={[
            ...(p.offerAll ? [{ value: ALL_ENTITIES, label: `All ${many} (the whole firm)` }] : []),
            ...p.picker.options.map((e) => ({
              value: e.id,
              label: e.name,
              ...(e.reference ? { hint: e.reference } : {}),
            })),
          ]}
        />
        <RadioGroup
          name="role"
          legend="Role to assign"
          value={p.role}
          error={p.errors.role}
          options={p.choices.map((r) => ({ value: r.id, label: r.name, hint: r.description }))}
        />
        <button type="submit">Share</button>
      </Form>
    </section>
  );
};

export interface AccessPageProps {
  words: Words;
  entity: { id: string; name: string };
  rows: AccessRow[];
  /** The answer to "Why can this person see it?": a name and reasons, or one neutral sentence. */
  check: { name: string; disabled: boolean; reasons: InheritedRow[] } | { none: string } | null;
  checkEmail: string;
  /** Giving someone access here: the roles for staff and for contacts, what was typed, errors. */
  share: {
    staffRoles: EntityRoleChoice[];
    contactRoles: EntityRoleChoice[];
    email: string;
    role: string | undefined;
  };
  errors: FieldErrors;
  /** What other features show on this tab (the slot 'entity.access': "Share in Client Portal"). */
  panels: readonly Child[];
}

const holder = (r: AccessRow) =>
  r.user ? (
    <a href={`/${r.user.kind === 'staff' ? 'staff' : 'contacts'}/${r.user.id}`}>{r.user.name}</a>
  ) : r.group ? (
    <a href={`/${r.group.kind === 'staff' ? 'groups' : 'contact-groups'}/${r.group.id}`}>
      Group {r.group.name} ({r.group.members} {r.group.members === 1 ? 'member' : 'members'})
    </a>
  ) : null;

const holderName = (r: AccessRow) => r.user?.name ?? `group ${r.group?.name ?? ''}`;

/** The People and access tab of an entity's workspace. */
export const AccessPanel: FC<AccessPageProps> = (p) => {
  const base = `/entities/${p.entity.id}`;
  const roleOptions = (roles: EntityRoleChoice[], who: string) =>
    roles.map((r) => ({ value: r.id, label: `${r.name} (${who})`, hint: r.description }));
  return (
    <>
      <h2>Who can see {p.entity.name}</h2>
      <FormError error={p.errors._form} />
      <div class="table-wrap">
        <table>
          <caption>Everyone with access to {p.entity.name}, and through which role</caption>
          <thead>
            <tr>
              <th scope="col">Who</th>
              <th scope="col">Role</th>
              <th scope="col">Where it was given</th>
              <th scope="col">Revoke</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr>
                <td>{holder(r)}</td>
                <td>{r.roleName}</td>
                <td>
                  {r.portal ? (
                    <a href={`/portals/${r.portal.id}`}>Portal {r.portal.name}</a>
                  ) : r.scope === 'system' ? (
                    `All ${p.words.many.toLowerCase()}`
                  ) : (
                    `This ${p.words.lower}`
                  )}
                </td>
                <td>
                  {r.scope === 'entity' ? (
                    <Form action={`${base}/access/revoke`}>
                      <input type="hidden" name="binding" value={r.bindingId} />
                      <NamedButton
                        text="Revoke"
                        more={`${r.roleName} from ${holderName(r)}`}
                        class="secondary"
                      />
                    </Form>
                  ) : (
                    <span class="hint">Change it on {r.portal ? 'the portal’s' : 'their'} page</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div class="narrow">
        {p.panels}

        <h2>Give someone access</h2>
        <Form action={`${base}/access`}>
          <Field
            name="email"
            label="Their email address"
            type="email"
            value={p.share.email}
            error={p.errors.email}
            id="f-share-email"
          />
          <RadioGroup
            name="role"
            legend="Role to give"
            value={p.share.role}
            error={p.errors.role}
            options={[
              ...roleOptions(p.share.staffRoles, 'staff'),
              ...roleOptions(p.share.contactRoles, 'contacts'),
            ]}
          />
          <button type="submit">Share</button>
        </Form>

        <h2>Why can this person see it?</h2>
        <form method="get" action={`${base}/access`} class="search">
          <label for="f-person">Email address to explain</label>
          <input id="f-person" name="person" type="email" value={p.checkEmail} />
          <button type="submit">Explain</button>
        </form>
        {p.check === null ? null : 'none' in p.check ? (
          <p>{p.check.none}</p>
        ) : p.check.disabled ? (
          <p>
            {p.check.name}’s account is disabled, so they cannot see {p.entity.name} (or sign in at all).
            Their roles are kept for when the account is enabled again.
          </p>
        ) : p.check.reasons.length === 0 ? (
          <p>
            {p.check.name} cannot see {p.entity.name}.
          </p>
        ) : (
          <InheritedTable
            rows={p.check.reasons}
            words={p.words}
            caption={`Why ${p.check.name} can see ${p.entity.name}`}
          />
        )}
      </div>
    </>
  );
};
