import { type InputHTMLAttributes, type ReactNode, type RefObject, useEffect, useId, useRef } from 'react';

/**
 * A labelled input with its hint and error under it; the input points at both (aria-describedby)
 * and says when it is invalid.
 */
export function Field({
  label,
  error,
  hint,
  ...input
}: {
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
} & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        {...input}
        {...(error ? { 'aria-invalid': true } : {})}
        {...(describedBy ? { 'aria-describedby': describedBy } : {})}
      />
      {error ? (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      ) : null}
      {hint ? (
        <span id={`${id}-hint`} className="muted hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** A message under a group of fields (a fieldset), or a form-wide one. */
export function GroupError({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <span id={id} className="field-error">
      {message}
    </span>
  );
}

/**
 * After a refused save (`fault` changes to a new truthy value), the keyboard goes to the first field
 * at fault; a group (events, pipelines) is not an input, so its first box takes the focus.
 */
export function useFocusFault(form: RefObject<HTMLFormElement | null>, fault: unknown) {
  useEffect(() => {
    if (!fault) return;
    const at = form.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid]');
    (at?.matches('fieldset') ? at.querySelector<HTMLElement>('input') : at)?.focus();
  }, [form, fault]);
}

/** A form opened by a button takes the keyboard at its first field. */
export function useFocusOnOpen(form: RefObject<HTMLFormElement | null>) {
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, [form]);
}

/** When `open` turns false (the form saved or was cancelled), the keyboard goes back to `opener`. */
export function useReturnFocus(open: boolean, opener: RefObject<HTMLElement | null>) {
  const wasOpen = useRef(open);
  useEffect(() => {
    if (wasOpen.current && !open) opener.current?.focus();
    wasOpen.current = open;
  }, [open, opener]);
}
