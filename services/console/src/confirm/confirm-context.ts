import { createContext, useCallback, useContext } from 'react';
import { useEnvironments } from '../api/queries.js';
import { isProductionEnvironment } from '../environments/production.js';

export interface ConfirmRequest {
  title: string;
  message: string;
  /** The confirming button's words ("Change prod"). */
  confirm: string;
  /** For what cannot be undone: the confirming button works once this (a flag key) is typed. */
  typeToConfirm?: string;
}

/** Opens the page's confirmation dialog; resolves true when confirmed, false when cancelled. */
export type Confirm = (request: ConfirmRequest) => Promise<boolean>;

export const ConfirmContext = createContext<Confirm | undefined>(undefined);

/** The page's confirmation dialog (ConfirmProvider). */
export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error('useConfirm outside a ConfirmProvider');
  return confirm;
}

/**
 * Runs a change to one environment, asking as much as it risks: at once in an
 * environment like dev; after the dialog confirms it in a production
 * (environments/production.ts) or protected environment. Cancelled: nothing
 * is sent.
 */
export function useProductionGuard(environment: string): (what: string, change: () => void) => void {
  const confirm = useConfirm();
  const environments = useEnvironments();
  const production = isProductionEnvironment(environment);
  const guarded = environments.data?.find((candidate) => candidate.key === environment)?.protected ?? false;
  return useCallback(
    (what: string, change: () => void) => {
      if (!production && !guarded) return change();
      void confirm({
        title: `Change ${environment}?`,
        message: `${environment} is a ${production ? 'production' : 'protected'} environment: ${what} affects its users.`,
        confirm: `Change ${environment}`,
      }).then((confirmed) => {
        if (confirmed) change();
      });
    },
    [confirm, environment, production, guarded],
  );
}
