import t from 'tap';
import {
  ACTIVE_RAMP_STATUSES,
  PENDING_RAMP_STATUSES,
  rampTransition,
  revisionAfterResume,
  statusesAllowing,
  type RampAction,
  type RampFacts,
} from '../../shared/domain/ramps/ramp-status.js';
import { RampStatusSchema, type RampStatus } from '../../shared/schemas/ramps.js';

// The ramp state machine is a pure function: every status × action, written
// out here by hand so that changing any rule fails this test.
const id = '00000000-0000-4000-8000-000000000001';
const ramp = (status: RampStatus, more: Partial<RampFacts> = {}): RampFacts => ({
  id,
  status,
  flagKey: 'new_ui',
  flagArchived: false,
  currentStep: 1,
  stepCount: 3,
  ...more,
});

type Expected = { to: RampStatus } | { refused: string };
const refused = (reason: string): Expected => ({ refused: reason });

const TABLE: Record<RampStatus, Record<RampAction, Expected>> = {
  scheduled: {
    pause: { to: 'paused' },
    resume: refused(`rollout '${id}' is scheduled; only a paused ramp can be resumed`),
    cancel: { to: 'cancelled' },
    step: { to: 'running' },
    rollback: { to: 'rolled_back' },
  },
  running: {
    pause: { to: 'paused' },
    resume: refused(`rollout '${id}' is running; only a paused ramp can be resumed`),
    cancel: { to: 'cancelled' },
    step: { to: 'running' },
    rollback: { to: 'rolled_back' },
  },
  paused: {
    pause: refused(`rollout '${id}' is paused; only a scheduled or running ramp can be paused`),
    resume: { to: 'running' },
    cancel: { to: 'cancelled' },
    step: refused('the plan is paused'),
    rollback: refused(`rollout '${id}' is paused; only a scheduled or running ramp can be rolled back`),
  },
  completed: {
    pause: refused(`rollout '${id}' is completed; only a scheduled or running ramp can be paused`),
    resume: refused(`rollout '${id}' is completed; only a paused ramp can be resumed`),
    cancel: refused(`rollout '${id}' is already completed`),
    step: refused('the plan is completed'),
    rollback: refused(`rollout '${id}' is completed; only a scheduled or running ramp can be rolled back`),
  },
  cancelled: {
    pause: refused(`rollout '${id}' is cancelled; only a scheduled or running ramp can be paused`),
    resume: refused(`rollout '${id}' is cancelled; only a paused ramp can be resumed`),
    cancel: refused(`rollout '${id}' is already cancelled`),
    step: refused('the plan is cancelled'),
    rollback: refused(`rollout '${id}' is cancelled; only a scheduled or running ramp can be rolled back`),
  },
  rolled_back: {
    pause: refused(`rollout '${id}' is rolled_back; only a scheduled or running ramp can be paused`),
    resume: refused(`rollout '${id}' is rolled_back; only a paused ramp can be resumed`),
    cancel: refused(`rollout '${id}' is already rolled_back`),
    step: refused('the plan is rolled_back'),
    rollback: refused(`rollout '${id}' is rolled_back; only a scheduled or running ramp can be rolled back`),
  },
};

const ACTIONS: RampAction[] = ['pause', 'resume', 'cancel', 'step', 'rollback'];

t.test('every status × action: allowed or refused, and where it leads', async (t) => {
  t.same(Object.keys(TABLE).sort(), [...RampStatusSchema.options].sort(), 'the table covers every status');
  for (const status of RampStatusSchema.options) {
    for (const action of ACTIONS) {
      const expected = TABLE[status][action];
      const got = rampTransition(ramp(status), action);
      if ('to' in expected) t.same(got, { allowed: true, to: expected.to }, `${status} × ${action}`);
      else t.same(got, { allowed: false, reason: expected.refused }, `${status} × ${action}`);
      // The compare-and-set writes accept exactly the statuses the table allows.
      t.equal(statusesAllowing(action).includes(status), 'to' in expected, `${status} in the statuses allowing ${action}`);
    }
  }
});

t.test('resume: back to scheduled before any step applied, refused for an archived flag', async (t) => {
  t.same(rampTransition(ramp('paused', { currentStep: 0 }), 'resume'), { allowed: true, to: 'scheduled' });
  t.same(rampTransition(ramp('paused', { currentStep: 2 }), 'resume'), { allowed: true, to: 'running' });
  t.same(rampTransition(ramp('paused', { flagArchived: true }), 'resume'), {
    allowed: false,
    reason: `flag 'new_ui' is archived; cancel this ramp`,
  });
  // The status comes first: a completed ramp of an archived flag says it is completed.
  t.same(rampTransition(ramp('completed', { flagArchived: true }), 'resume'), {
    allowed: false,
    reason: `rollout '${id}' is completed; only a paused ramp can be resumed`,
  });
  // Only resume looks at the flag: an archived flag's ramp can still be paused, cancelled, or stepped (the worker cancels it).
  t.same(rampTransition(ramp('running', { flagArchived: true }), 'pause'), { allowed: true, to: 'paused' });
  t.same(rampTransition(ramp('paused', { flagArchived: true }), 'cancel'), { allowed: true, to: 'cancelled' });
  t.equal(revisionAfterResume(4), 5, 'a resume bumps the revision, so old timers are stale');
});

t.test('step: the last step completes the ramp', async (t) => {
  t.same(rampTransition(ramp('scheduled', { currentStep: 0, stepCount: 3 }), 'step'), { allowed: true, to: 'running' });
  t.same(rampTransition(ramp('running', { currentStep: 1, stepCount: 3 }), 'step'), { allowed: true, to: 'running' });
  t.same(rampTransition(ramp('running', { currentStep: 2, stepCount: 3 }), 'step'), { allowed: true, to: 'completed' });
  t.same(rampTransition(ramp('scheduled', { currentStep: 0, stepCount: 1 }), 'step'), { allowed: true, to: 'completed' });
});

t.test('pending and active statuses', async (t) => {
  t.same([...PENDING_RAMP_STATUSES].sort(), ['running', 'scheduled']);
  t.same([...ACTIVE_RAMP_STATUSES].sort(), ['paused', 'running', 'scheduled']);
});
