import { AppError } from '../../../shared/errors.js';
import type { Token } from '../../../shared/schemas/tokens.js';
import type { UnleashMetrics } from '../../../shared/schemas/usage.js';
import { sdkEnvironment } from '../client/sdk-environment.js';
import { checkPlausibleReport, type ReportLimiter } from './report-limits.js';
import { seesEveryProject } from '../../../shared/domain/projects/project-scope.js';
import { snapshotOfToken } from '../snapshots/token-snapshot.js';
import type { SnapshotReader } from '../snapshots/snapshot-reader.js';
import type { UsageRecorder } from './usage-recorder.js';

/**
 * Stores one Unleash metrics report as usage of the token's environment (the
 * report's own `environment` field is the SDK's guess and is ignored), once
 * the token is within its rate and the counts are plausible for its kind.
 * Unleash answers 202 with no body; so does FlagShip.
 */
export async function reportMetrics(
  usage: UsageRecorder | undefined,
  limiter: ReportLimiter,
  token: Token,
  metrics: UnleashMetrics,
  snapshots: SnapshotReader,
): Promise<{ status: 202 }> {
  if (!usage) throw new AppError(503, 'usage_unavailable', 'this API was started without a usage recorder');
  checkPlausibleReport(token, metrics);
  limiter.admit(token);
  await usage.record(sdkEnvironment(token), {
    start: new Date(metrics.bucket.start),
    stop: new Date(metrics.bucket.stop),
    toggles: await visibleToggles(token, metrics.bucket.toggles, snapshots),
  });
  return { status: 202 };
}

/**
 * A token of some projects counts usage of its projects' flags only: a name
 * of another project's flag in its report is dropped like an unknown name
 * (it could otherwise write, and probe, another team's counts).
 */
async function visibleToggles<T>(token: Token, toggles: Record<string, T>, snapshots: SnapshotReader): Promise<Record<string, T>> {
  if (seesEveryProject(token.projects)) return toggles;
  const visible = new Set((await snapshotOfToken(snapshots, token)).flags.map((flag) => flag.key));
  return Object.fromEntries(Object.entries(toggles).filter(([name]) => visible.has(name)));
}
