import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api-context.js';
import { queryKeys, useRamp } from '../api/queries.js';
import { ErrorNote } from './ErrorNote.js';
import { GuardFigures } from './GuardFigures.js';
import { useCan } from '../session/roles.js';

const ACTIVE = ['scheduled', 'running', 'paused'];

/** A ramp's steps, planned and applied, advancing live (each step is a change event on the stream). */
export function RampTimeline({ rampId }: { rampId: string }) {
  const api = useApi();
  const client = useQueryClient();
  const ramp = useRamp(rampId);
  const canEdit = useCan('editor');
  const control = useMutation({
    mutationFn: (action: 'pause' | 'resume' | 'cancel') => api.controlRamp(rampId, action),
    onSuccess: (updated) => client.setQueryData(queryKeys.ramp(rampId), updated),
  });
  if (!ramp.data) return <ErrorNote error={ramp.error} />;
  const { status, steps, currentStep, stopReason, guards } = ramp.data;
  const applied = steps.filter((step) => step.appliedAt !== null).length;
  return (
    <section className="ramp" aria-label={`Ramp ${rampId}`} data-ramp={rampId} data-status={status}>
      <header className="ramp-head">
        <strong className={`ramp-status status-${status}`}>{status}</strong>
        <span data-testid="ramp-progress">
          {applied} of {steps.length} steps applied
        </span>
        {ACTIVE.includes(status) && canEdit && (
          <span className="ramp-actions">
            {status === 'paused' ? (
              <button type="button" onClick={() => control.mutate('resume')} disabled={control.isPending}>
                Resume
              </button>
            ) : (
              <button type="button" onClick={() => control.mutate('pause')} disabled={control.isPending}>
                Pause
              </button>
            )}
            <button type="button" className="danger" onClick={() => control.mutate('cancel')} disabled={control.isPending}>
              Cancel ramp
            </button>
          </span>
        )}
      </header>
      {stopReason && (
        <p className={status === 'rolled_back' ? 'small status-rolled_back' : 'muted small'} data-testid="ramp-stop-reason">
          {status === 'rolled_back' ? 'Rolled back' : 'Stopped'}: {stopReason}
        </p>
      )}
      <GuardFigures guards={guards} />
      <ol className="timeline">
        {steps.map((step) => (
          <li
            key={step.position}
            className={step.appliedAt ? 'applied' : step.position === currentStep && ACTIVE.includes(status) ? 'next' : 'planned'}
            data-applied={step.appliedAt !== null}
          >
            <span className="step-rollout">{step.rollout}%</span>
            <span className="small">
              {step.appliedAt ? `applied ${new Date(step.appliedAt).toLocaleString()}` : `planned ${new Date(step.plannedAt).toLocaleString()}`}
            </span>
          </li>
        ))}
      </ol>
      <ErrorNote error={control.error} />
    </section>
  );
}
