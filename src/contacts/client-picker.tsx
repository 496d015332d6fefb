/**
 * The contact forms' client picker: a search (its "Find" button submits the whole form, which comes
 * back with everything typed and the clients found as choices; no JavaScript needed) and, with htmx,
 * the choices refreshed as one types (GET /contacts/client-choices answers with ClientChoices, the
 * same component). A choice is an entity's id; the chosen one stays listed while searching on.
 */
import type { FC } from 'hono/jsx';
import { RadioGroup } from '../../views/forms.js';
import type { EntityChoice } from '../entities/index.js';
import type { entityWords } from '../http/entity-words.js';
import { NO_CLIENT } from './client.js';

type Words = ReturnType<typeof entityWords>;

export interface ClientPickerProps {
  words: Words;
  /** The id chosen, NO_CLIENT, or '' when none is. */
  chosen: string;
  q: string;
  /** The chosen entity (when still choosable) and those found. */
  choices: readonly EntityChoice[];
  /** Offer "No client" (the actor may add a contact with none, or the contact has none now). */
  allowNone: boolean;
  error?: string | undefined;
  /** Offer the search (the actor may add contacts somewhere). */
  mayFind: boolean;
  /** The contact being edited, whose present client the suggestions keep offering. */
  contactId?: string | undefined;
}

const labelOf = (e: EntityChoice) => (e.reference ? `${e.name} (${e.reference})` : e.name);

export const ClientChoices: FC<Omit<ClientPickerProps, 'mayFind' | 'contactId'>> = (p) => {
  const options = [
    ...p.choices.map((e) => ({ value: e.id, label: labelOf(e) })),
    ...(p.allowNone ? [{ value: NO_CLIENT, label: `No ${p.words.lower}` }] : []),
  ];
  const hint =
    p.choices.length > 0
      ? undefined
      : p.q.trim()
        ? `No ${p.words.lower} you can add contacts to matches “${p.q.trim()}”.`
        : `Find the ${p.words.lower} by name or reference above, then choose it.`;
  return (
    <div id="client-choices">
      <RadioGroup
        name="client"
        legend={`Choose the ${p.words.lower}`}
        options={options}
        value={p.chosen}
        error={p.error}
        hint={hint}
      />
    </div>
  );
};

export const ClientPicker: FC<ClientPickerProps> = (p) => (
  <fieldset class="field">
    <legend>{p.words.one}</legend>
    {p.mayFind ? (
      <div class="field">
        <label for="f-clientQ">Find a {p.words.lower} by name or reference</label>
        <input
          id="f-clientQ"
          name="clientQ"
          type="search"
          value={p.q}
          autocomplete="off"
          hx-get={
            p.contactId ? `/contacts/client-choices?contact=${p.contactId}` : '/contacts/client-choices'
          }
          hx-trigger="input changed delay:300ms"
          hx-target="#client-choices"
          hx-swap="outerHTML"
          hx-include="closest fieldset"
        />
        <button type="submit" name="find" value="1" class="secondary">
          Find {p.words.many.toLowerCase()}
        </button>
      </div>
    ) : null}
    <ClientChoices
      words={p.words}
      chosen={p.chosen}
      q={p.q}
      choices={p.choices}
      allowNone={p.allowNone}
      error={p.error}
    />
  </fieldset>
);

/**
 * The form's own submit button, first in the form and hidden, so that Enter in any field saves (a
 * browser presses a form's first submit button, which would otherwise be the picker's Find).
 * Hidden from everyone: the visible button at the end is the one people and screen readers meet.
 */
export const DefaultSubmit: FC<{ text: string }> = (p) => (
  <button type="submit" hidden>
    {p.text}
  </button>
);
