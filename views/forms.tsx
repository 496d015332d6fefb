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

export const CheckboxGroup: FC<{
  name: string;
  legend: string;
  options: readonly (Option & { hint?: string; disabled?: boolean })[];
  checked: readonly string[];
  error?: string | undefined;
}> = (p) => {
  const errorId = `f-${p.name}-error`;
  return (
    // aria-invalid is not reported on a fieldset, so each box carries it and points at the message.
    <fieldset class="field checkboxes" aria-describedby={p.error ? errorId : undefined}>
      <legend>{p.legend}</legend>
      {p.options.length === 0 ? <p class="hint">None available.</p> : null}
      {p.options.map((o) => {
        const id = `f-${p.name}-${o.value}`;
        return (
          <div class="checkbox">
            <input
              type="checkbox"
              id={id}
              name={p.name}
              value={o.value}
              checked={p.checked.includes(o.value)}
              disabled={o.disabled}
              aria-invalid={p.error ? 'true' : undefined}
              aria-describedby={
                [o.hint ? `${id}-hint` : '', p.error ? errorId : ''].filter(Boolean).join(' ') || undefined
              }
            />
            <label for={id}>{o.label}</label>
            {o.hint ? (
              <span class="hint" id={`${id}-hint`}>
                {o.hint}
              </span>
            ) : null}
          </div>
        );
      })}
      <ErrorText id={errorId} error={p.error} />
    </fieldset>
  );
};

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
}> = (p) => (
  <form method="post" action={p.action} class={p.class ?? 'stack'} enctype={p.enctype} novalidate>
    {p.children}
  </form>
);
