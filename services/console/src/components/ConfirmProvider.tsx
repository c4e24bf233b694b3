import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ConfirmContext, type ConfirmRequest } from '../confirm/confirm-context.js';

interface Pending extends ConfirmRequest {
  resolve: (confirmed: boolean) => void;
}

/**
 * The page's one confirmation dialog (a modal <dialog>, not window.confirm:
 * it is styled, labelled, and a browser test can drive it). Cancel, Escape
 * and closing all answer false.
 */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending>();
  const dialog = useRef<HTMLDialogElement>(null);
  const confirm = useCallback(
    (request: ConfirmRequest) =>
      new Promise<boolean>((resolve) => {
        setPending((previous) => {
          previous?.resolve(false);
          return { ...request, resolve };
        });
      }),
    [],
  );
  useEffect(() => {
    if (pending && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [pending]);
  const answer = (confirmed: boolean) => {
    pending?.resolve(confirmed);
    setPending(undefined);
    dialog.current?.close();
  };
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby="confirm-title" aria-describedby="confirm-message" onCancel={() => answer(false)}>
        {pending && (
          <form method="dialog" onSubmit={(event) => event.preventDefault()}>
            <h2 id="confirm-title">{pending.title}</h2>
            <p id="confirm-message">{pending.message}</p>
            <div className="form-actions">
              {/* Cancel first and focused: Enter or Space on an unread dialog changes nothing. */}
              <button type="button" autoFocus onClick={() => answer(false)}>
                Cancel
              </button>
              <button type="button" className="danger" onClick={() => answer(true)}>
                {pending.confirm}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </ConfirmContext.Provider>
  );
}
