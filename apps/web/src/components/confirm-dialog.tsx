import { type ReactNode, useId, useRef, useState } from 'react';

/** Opens and closes one ConfirmDialog; `isOpen` so its content exists only while it is shown. */
export function useConfirmDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  const [isOpen, setOpen] = useState(false);
  return {
    ref,
    isOpen,
    open: () => {
      setOpen(true);
      ref.current?.showModal();
    },
    close: () => ref.current?.close(),
    onClosed: () => setOpen(false),
  };
}

export type ConfirmControl = ReturnType<typeof useConfirmDialog>;

/**
 * A modal confirmation: a question, what it will do, the error of a failed attempt, and Confirm/Cancel.
 * The body is rendered only while open, so a closed dialog's text is not found on the page. Without
 * `onConfirm` (the action is refused up front) only a Close button is offered.
 */
export function ConfirmDialog({
  control,
  title,
  children,
  confirmLabel,
  pendingLabel,
  pending = false,
  danger = false,
  error,
  onConfirm,
}: {
  control: ConfirmControl;
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending?: boolean;
  danger?: boolean;
  /** Why the last attempt failed (shown as an alert), or nothing. */
  error?: ReactNode;
  onConfirm?: () => void;
}) {
  const titleId = useId();
  return (
    <dialog ref={control.ref} aria-labelledby={titleId} className="confirm-dialog" onClose={control.onClosed}>
      {control.isOpen ? (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
          {error ? (
            <p role="alert" className="inline-error">
              {error}
            </p>
          ) : null}
          <div className="form-actions">
            {onConfirm ? (
              <button
                type="button"
                className={danger ? 'danger' : 'primary'}
                disabled={pending}
                onClick={onConfirm}
              >
                {pending ? pendingLabel : confirmLabel}
              </button>
            ) : null}
            <button type="button" onClick={control.close}>
              {onConfirm ? 'Cancel' : 'Close'}
            </button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}
