import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient, waitForRelay } from '../../packages/cli/index.js';
import { FlagShipClient } from '../../packages/sdk/index.js';
import type { BenchContext, Measure } from '../harness/context.js';
import { monotonicMs } from '../harness/clock.js';
import type { MeasureResult } from '../harness/report.js';
import { formatNumber, percentile } from '../harness/stats.js';

const FLAG = 'bench-deploy-gate';
const WRITES = 40;
const TARGET_P95_MS = 100;
/** Time for the gate's held request to reach the API after its first answer, before the write. */
const SETTLE_MS = 100;
/** The first pass's `flagship wait`: a GET every 50 ms. */
const POLL_INTERVAL_MS = 50;

/** The baseline: GET …/relayed every POLL_INTERVAL_MS until every notifier relayed `version`; resolves with monotonicMs() then. */
async function pollUntilRelayed(api: ApiClient, path: string, version: number, deadline: number): Promise<number> {
  while (monotonicMs() < deadline) {
    const relay = await api.get<{ version: number | null }>(path);
    if (relay.version !== null && relay.version >= version) return monotonicMs();
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`version ${version} not relayed within 10 s`);
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const describe = (values: number[]) =>
  `median ${formatNumber(percentile(values, 0.5))} ms, p95 ${formatNumber(percentile(values, 0.95))} ms, max ${formatNumber(values[values.length - 1]!)} ms`;

/**
 * The deploy gate (`flagship wait`): per write, the time from an SDK client
 * of the notifier receiving the change (the relay, seen from outside) to
 * `waitForRelay` (the CLI's own code, as `flagship wait` runs it) returning
 * in the runner. The wait is started before the write, for the version the
 * write will take, so its request is held by the API when the relay comes.
 * Baseline, beside it for the same writes: the first pass's wait, a GET
 * /v1/environments/{env}/relayed every 50 ms.
 */
export const deployGate: Measure = {
  id: 'gate',
  title: 'Deploy gate: flagship wait after the relay',
  async run(context: BenchContext): Promise<MeasureResult> {
    const { flagship, admin, environment, sdkSecret } = context;
    await admin.call('POST', '/v1/flags', { key: FLAG });
    const api = new ApiClient({ url: flagship.apiUrl, token: flagship.adminSecret });
    const relayPath = `/v1/environments/${environment}/relayed`;
    const received = new Map<number, number>();
    const sdk = new FlagShipClient({ url: flagship.notifierUrl, token: sdkSecret, environment, readyTimeoutMs: 30_000 });
    sdk.on('change', (change) => {
      if (change.source === 'change') received.set(change.version, monotonicMs());
    });
    sdk.on('error', () => undefined);
    try {
      await sdk.ready();
      const delays: number[] = [];
      const writeToReturn: number[] = [];
      const baseline: number[] = [];
      const immediate: number[] = [];
      let missing = 0;
      for (let index = 0; index < WRITES; index += 1) {
        const started = monotonicMs();
        const { currentVersion } = await api.get<{ currentVersion: number }>(relayPath);
        immediate.push(monotonicMs() - started);
        const version = currentVersion + 1;
        let firstAnswer!: () => void;
        const answered = new Promise<void>((resolve) => (firstAnswer = resolve));
        const waiting = waitForRelay(api, { environment, version, timeoutMs: 10_000, onWaiting: () => firstAnswer() }).then(() => monotonicMs());
        await answered;
        await sleep(SETTLE_MS);
        const polled = pollUntilRelayed(api, relayPath, version, monotonicMs() + 10_000);
        const written = monotonicMs();
        const response = await api.request<{ version: number }>('PATCH', `/v1/flags/${FLAG}/environments/${environment}`, { body: { enabled: index % 2 === 0 } });
        if (response.body.version !== version) throw new Error(`the write took version ${response.body.version}, not ${version}: another writer is running`);
        const [returned, pollReturned] = await Promise.all([waiting, polled]);
        const relayedAt = received.get(version);
        if (relayedAt === undefined) {
          missing += 1;
          continue;
        }
        delays.push(returned - relayedAt);
        baseline.push(pollReturned - relayedAt);
        writeToReturn.push(returned - written);
      }
      const figure = sorted(delays);
      const floor = sorted(baseline);
      const p95 = percentile(figure, 0.95);
      return {
        rows: [
          {
            measure: `Deploy gate: flagship wait returns after the relay, ${WRITES} writes`,
            figure: describe(figure),
            baseline: `polling GET …/relayed every ${POLL_INTERVAL_MS} ms: ${describe(floor)}`,
            ratio: percentile(figure, 0.5) / percentile(floor, 0.5),
            target: `p95 ≤ ${TARGET_P95_MS} ms`,
            met: p95 <= TARGET_P95_MS && missing === 0,
          },
        ],
        notes: [
          `From an SDK client of the notifier receiving the change (FlagShipClient's change event, in the runner) to waitForRelay (packages/cli, what \`flagship wait\` runs) resolving in the runner; the ratio is the medians' (lower is better). A negative delay means the gate returned before the client had parsed the change.`,
          `Each wait starts before its write, for the version the write takes: its first GET answers at once, then its GET …/relayed?atLeast=<version> is held by the API until the notifier's report (written to Redis after it pushed to its sockets) is announced on the relay channel. From the write's response to the wait returning: ${describe(sorted(writeToReturn))}. ${missing} writes not seen by the SDK client.`,
          `The baseline polls beside the held wait, for the same writes (the first pass of \`flagship wait\` did this). One GET …/relayed answered at once took ${describe(sorted(immediate))}: the machine's load shows in every figure.`,
        ],
      };
    } finally {
      await sdk.close();
    }
  },
};
