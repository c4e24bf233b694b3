import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { ConfirmContext, type ConfirmRequest } from '../confirm/confirm-context.js';

interface Pending extends ConfirmRequest {
  resolve: (confirmed: boolean) => void;
}

/**
 * The page's one confirmation dialog (Radix AlertDialog: modal, labelled,
 * focus kept inside and given back after). Cancel, Escape and a second
 * request all answer false. Cancel is focused first, so Enter or Space on an
 * unread dialog changes nothing; where the request names a word to type, its
 * field is focused instead and the confirming button waits for the word.
 */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending>();
  const [typed, setTyped] = useState('');
  const field = useRef<HTMLInputElement>(null);
  const confirm = useCallback(
    (request: ConfirmRequest) =>
      new Promise<boolean>((resolve) => {
        setTyped('');
        setPending((previous) => {
          previous?.resolve(false);
          return { ...request, resolve };
        });
      }),
    [],
  );
  const answer = (confirmed: boolean) => {
    pending?.resolve(confirmed);
    setPending(undefined);
  };
  const ready = pending !== undefined && (pending.typeToConfirm === undefined || typed.trim() === pending.typeToConfirm);
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <AlertDialog.Root open={pending !== undefined} onOpenChange={(open) => !open && answer(false)}>
        <AlertDialog.Portal>
          <AlertDialog.Overlay className="confirm-overlay" />
          <AlertDialog.Content
            className="confirm-dialog"
            onOpenAutoFocus={(event) => {
              if (!pending?.typeToConfirm) return;
              event.preventDefault();
              field.current?.focus();
            }}
          >
            {pending && (
              <form onSubmit={(event) => (event.preventDefault(), ready && answer(true))}>
                <AlertDialog.Title>{pending.title}</AlertDialog.Title>
                <AlertDialog.Description>{pending.message}</AlertDialog.Description>
                {pending.typeToConfirm !== undefined && (
                  <label className="field">
                    <span>
                      Type <strong>{pending.typeToConfirm}</strong> to confirm
                    </span>
                    <input ref={field} value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" spellCheck={false} />
                  </label>
                )}
                <div className="form-actions">
                  <AlertDialog.Cancel type="button">Cancel</AlertDialog.Cancel>
                  <button type="submit" className="danger" disabled={!ready}>
                    {pending.confirm}
                  </button>
                </div>
              </form>
            )}
          </AlertDialog.Content>
        </AlertDialog.Portal>
      </AlertDialog.Root>
    </ConfirmContext.Provider>
  );
}
