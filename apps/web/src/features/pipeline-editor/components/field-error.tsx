/** A message under a field; the field points at it with aria-describedby and sets aria-invalid. */
export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <span id={id} className="field-error">
      {message}
    </span>
  );
}

/** Props that tie an input to its FieldError. */
export const describedBy = (id: string, message: string | null | undefined) =>
  message ? { 'aria-invalid': true as const, 'aria-describedby': id } : {};
