import t from 'tap';
import { rampActor, rampIdOfActor } from '../../shared/domain/ramps/ramp-actor.js';
import { completesRamp } from '../../shared/domain/ramps/ramp-completion.js';

// The audit log names a ramp's steps by actor `{ type: 'ramp', id: <plan id> }`; webhooks
// read it back to announce a completed ramp. Both sides go through ramp-actor.ts.
const planId = '6f1c2b9e-3d4a-4e5f-8a7b-0c1d2e3f4a5b';

t.test('a ramp actor names its plan, and reads back to it', async (t) => {
  t.match(rampActor(planId), { type: 'ramp', id: planId }, 'the object stored in change_event.actor');
  t.equal(rampIdOfActor(rampActor(planId)), planId);
});

t.test('any other actor names no ramp', async (t) => {
  for (const type of ['user', 'token', 'schedule', 'change-request', 'system'] as const) {
    t.equal(rampIdOfActor({ type, id: planId, name: `rollout:${planId}` }), undefined, type);
  }
  // The id as written; a plan that does not exist is for the repository to find.
  t.equal(rampIdOfActor({ type: 'ramp', id: 'not-a-uuid', name: 'x' }), 'not-a-uuid');
});

t.test('a ramp change completes the ramp only as its last change of a completed ramp', async (t) => {
  t.equal(completesRamp({ status: 'completed', laterChangeByRamp: false }), true, 'the last step');
  t.equal(completesRamp({ status: 'completed', laterChangeByRamp: true }), false, 'an earlier step');
  for (const status of ['scheduled', 'running', 'paused', 'cancelled'] as const) {
    t.equal(completesRamp({ status, laterChangeByRamp: false }), false, `a ${status} ramp`);
  }
  t.equal(completesRamp(undefined), false, 'no such plan');
});
