import { createContext, useCallback, useContext } from 'react';
import { isProductionEnvironment } from '../environments/production.js';

export interface ConfirmRequest {
  title: string;
  message: string;
  /** The confirming button's words ("Change prod"). */
  confirm: string;
}

/** Opens the page's confirmation dialog; resolves true when confirmed, false when cancelled. */
export type Confirm = (request: ConfirmRequest) => Promise<boolean>;

export const ConfirmContext = createContext<Confirm | undefined>(undefined);

/**
 * Runs a change to one environment: at once, or after the dialog confirms it
 * when the environment is production (environments/production.ts). Cancelled:
 * nothing is sent.
 */
export function useProductionGuard(environment: string): (what: string, change: () => void) => void {
  const confirm = useContext(ConfirmContext);
  return useCallback(
    (what: string, change: () => void) => {
      if (!isProductionEnvironment(environment)) return change();
      if (!confirm) throw new Error('useProductionGuard outside a ConfirmProvider');
      void confirm({
        title: `Change ${environment}?`,
        message: `${environment} is a production environment: ${what} affects its users.`,
        confirm: `Change ${environment}`,
      }).then((confirmed) => {
        if (confirmed) change();
      });
    },
    [confirm, environment],
  );
}
