import { ApiError } from '../api/api-error.js';
import type { FlagState } from '../api/types.js';
import { useStateChange } from '../api/use-state-change.js';
import { useProductionGuard } from '../confirm/confirm-context.js';
import { useCan } from '../session/roles.js';

/** The on/off switch of one flag in one environment (named "<flag> in <environment>"). */
export function StateSwitch({ flagKey, state, disabled }: { flagKey: string; state: FlagState; disabled?: boolean }) {
  const change = useStateChange(flagKey, state.environment);
  const guard = useProductionGuard(state.environment);
  // A viewer sees the state, not a control: the switch is there, disabled.
  const canEdit = useCan('editor');
  const conflict = change.error instanceof ApiError && change.error.status === 412;
  return (
    <span className="switch-wrap">
      <button
        type="button"
        role="switch"
        className="switch"
        aria-checked={state.enabled}
        aria-label={`${flagKey} in ${state.environment}`}
        aria-busy={change.isPending}
        disabled={disabled || !canEdit || change.isPending}
        title={change.error ? String((change.error as Error).message) : undefined}
        onClick={() =>
          guard(`switching ${flagKey} ${state.enabled ? 'off' : 'on'}`, () => change.mutate({ change: { enabled: !state.enabled }, version: state.version }))
        }
      >
        <span className="switch-knob" aria-hidden="true" />
      </button>
      {change.error && (
        <span className="switch-error" role="alert">
          {conflict ? 'changed elsewhere: now showing theirs' : 'failed'}
        </span>
      )}
    </span>
  );
}
