import t from 'tap';
import { usageSlots } from '../../services/console/src/flag-page/usage-hours.js';

// The Usage tab's hours: the API lists only hours with evaluations; the chart needs every hour, oldest first.
const now = Date.parse('2026-12-07T10:20:00Z');
const usage = {
  key: 'f',
  lastSeenAt: {},
  hours: [
    { environment: 'dev', hour: '2026-12-07T10:00:00.000Z', yes: 5, no: 1, variants: {} },
    { environment: 'prod', hour: '2026-12-07T10:00:00.000Z', yes: 99, no: 0, variants: {} },
    { environment: 'dev', hour: '2026-12-07T08:00:00Z', yes: 2, no: 3, variants: {} },
    { environment: 'dev', hour: '2026-12-06T08:00:00Z', yes: 7, no: 7, variants: {} },
  ],
};

t.test('every hour of the window, zero where nothing was counted, the current hour last', async (t) => {
  const slots = usageSlots(usage, 'dev', 4, now);
  t.same(slots, [
    { hour: '2026-12-07T07:00:00.000Z', yes: 0, no: 0 },
    { hour: '2026-12-07T08:00:00.000Z', yes: 2, no: 3 },
    { hour: '2026-12-07T09:00:00.000Z', yes: 0, no: 0 },
    { hour: '2026-12-07T10:00:00.000Z', yes: 5, no: 1 },
  ]);
});

t.test('other environments and hours outside the window are left out; no usage is all zeros', async (t) => {
  t.equal(usageSlots(usage, 'dev', 24, now).reduce((sum, slot) => sum + slot.yes, 0), 7, 'a day back: prod and the hour 26 h ago are not counted');
  t.equal(usageSlots(usage, 'dev', 48, now).reduce((sum, slot) => sum + slot.yes, 0), 14, 'two days back: it is');
  t.same(usageSlots(undefined, 'dev', 2, now), [
    { hour: '2026-12-07T09:00:00.000Z', yes: 0, no: 0 },
    { hour: '2026-12-07T10:00:00.000Z', yes: 0, no: 0 },
  ]);
});
