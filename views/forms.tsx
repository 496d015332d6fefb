/**
 * Form controls that always have a label, and put an error beside the field with
 * aria-invalid and aria-describedby pointing at it. Values passed back keep what was typed.
 */
import type { Child, FC } from 'hono/jsx';

export type FieldErrors = Partial<Record<string, string>>;

interface FieldProps {
  name: string;
  label: string;
  value?: string | undefined;
  error?: string | undefined;
  type?: 'text' | 'email' | 'password' | 'search' | 'date' | 'url' | 'file';
  /** For a file input: the types it offers to choose, e.g. ".csv,text/csv". */
  accept?: string;
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  id?: string;
}

export const ErrorText: FC<{ id: string; error: string | undefined }> = ({ id, error }) =>
  error ? (
    <p class="field-error" id={id}>
      {error}
    </p>
  ) : null;

function describedBy(id: string, error?: string, hint?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export const Field: FC<FieldProps> = (p) => {
  const id = p.id ?? `f-${p.name}`;
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <input
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.type === 'password' || p.type === 'file' ? undefined : p.value}
        accept={p.accept}
        required={p.required}
        autocomplete={p.autocomplete}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(id, p.error, p.hint)}
      />
      <ErrorText id={`${id}-error`} error={p.error} />
    </div>
  );
};

export const TextArea: FC<Omit<FieldProps, 'type' | 'autocomplete'>> = (p) => {
  const id = p.id ?? `f-${p.name}`;
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <textarea
        id={id}
        name={p.name}
        rows={3}
        required={p.required}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(id, p.error, p.hint)}
      >
        {p.value ?? ''}
      </textarea>
      <ErrorText id={`${id}-error`} error={p.error} />
    </div>
  );
};

export interface Option {
  value: string;
  label: string;
}

export const Select: FC<{
  name: string;
  label: string;
  options: readonly Option[];
  value?: string | undefined;
  error?: string | undefined;
}> = (p) => {
  const id = `f-${p.name}`;
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <select
        id={id}
        name={p.name}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={p.error ? `${id}-error` : undefined}
      >
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={`${id}-error`} error={p.error} />
    </div>
  );
};

/** One checkbox or radio button with its label (and its own hint, read with it; it may hold a link). */
const Choice: FC<{
  type: 'checkbox' | 'radio';
  name: string;
  option: Option & { hint?: Child };
  checked: boolean;
  disabled?: boolean | undefined;
  invalid: boolean;
  describedBy: readonly string[];
}> = (p) => {
  const id = `f-${p.name}-${p.option.value}`;
  const described = [...p.describedBy, p.option.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div class="checkbox">
      <input
        type={p.type}
        id={id}
        name={p.name}
        value={p.option.value}
        checked={p.checked}
        disabled={p.disabled}
        aria-invalid={p.invalid ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      <label for={id}>{p.option.label}</label>
      {p.option.hint ? (
        <span class="hint" id={`${id}-hint`}>
          {p.option.hint}
        </span>
      ) : null}
    </div>
  );
};

export const CheckboxGroup: FC<{
  name: string;
  legend: string;
  options: readonly (Option & { hint?: Child; disabled?: boolean })[];
  checked: readonly string[];
  error?: string | undefined;
  /** Shown when there is nothing to tick, e.g. "Search above to list clients." */
  empty?: string;
}> = (p) => {
  const errorId = `f-${p.name}-error`;
  return (
    // aria-invalid is not reported on a fieldset, so each box carries it and points at the message.
    <fieldset class="field checkboxes" aria-describedby={p.error ? errorId : undefined}>
      <legend>{p.legend}</legend>
      {p.options.length === 0 ? <p class="hint">{p.empty ?? 'None available.'}</p> : null}
      {p.options.map((o) => (
        <Choice
          type="checkbox"
          name={p.name}
          option={o}
          checked={p.checked.includes(o.value)}
          disabled={o.disabled}
          invalid={Boolean(p.error)}
          describedBy={p.error ? [errorId] : []}
        />
      ))}
      <ErrorText id={errorId} error={p.error} />
    </fieldset>
  );
};

/** Radio buttons under one legend; the error (and a hint) are read with every button. */
export const RadioGroup: FC<{
  name: string;
  legend: string;
  options: readonly (Option & { hint?: string })[];
  value?: string | undefined;
  error?: string | undefined;
  hint?: string | undefined;
  disabled?: boolean;
}> = (p) => {
  const described = describedBy(`f-${p.name}`, p.error, p.hint);
  return (
    <fieldset class="field" aria-describedby={described}>
      <legend>{p.legend}</legend>
      {p.hint ? (
        <p class="hint" id={`f-${p.name}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {p.options.map((o) => (
        <Choice
          type="radio"
          name={p.name}
          option={o}
          checked={o.value === p.value}
          disabled={p.disabled}
          invalid={Boolean(p.error)}
          describedBy={described ? described.split(' ') : []}
        />
      ))}
      <ErrorText id={`f-${p.name}-error`} error={p.error} />
    </fieldset>
  );
};

/** The required tick before a deletion, with its error beside it. */
export const ConfirmBox: FC<{ label: string; error?: string | undefined }> = ({ label, error }) => (
  <>
    <div class="checkbox">
      <input
        type="checkbox"
        id="f-confirm"
        name="confirm"
        value="yes"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'f-confirm-error' : undefined}
      />
      <label for="f-confirm">{label}</label>
    </div>
    <ErrorText id="f-confirm-error" error={error} />
  </>
);

export const FormError: FC<{ error?: string | undefined }> = ({ error }) =>
  error ? (
    <div class="flash flash-error" role="alert">
      {error}
    </div>
  ) : null;

export const Form: FC<{
  action: string;
  children?: Child;
  class?: string;
  enctype?: 'multipart/form-data';
  /** Where static/uploads.js starts resumable uploads of this form's files (tus). */
  resumable?: string;
  /** The folder those uploads go to. */
  folder?: string | null;
}> = (p) => (
  <form
    method="post"
    action={p.action}
    class={p.class ?? 'stack'}
    enctype={p.enctype}
    data-resumable={p.resumable}
    data-folder={p.folder ?? undefined}
    novalidate
  >
    {p.children}
  </form>
);

/**
 * A search inside a form ("Find contacts"): its button submits the whole form by GET to `action`,
 * so what is ticked and typed comes back with the results, and nothing needs JavaScript.
 */
export const FindInForm: FC<{ name: string; label: string; q: string; button: string; action: string }> = (
  p,
) => (
  <div class="field">
    <label for={`f-${p.name}`}>{p.label}</label>
    <input id={`f-${p.name}`} name={p.name} type="search" value={p.q} />
    <button type="submit" formmethod="get" formaction={p.action} name="search" value="1" class="secondary">
      {p.button}
    </button>
  </div>
);
