/**
 * What every service's `/readyz` answers: each check's outcome (`ok` or what
 * went wrong), and whether the process is ready to serve. A load balancer
 * or Kubernetes takes an unready process out of rotation, so only what the
 * process cannot serve without makes it unready: PostgreSQL (and, for the
 * notifier, its LISTEN). Redis is reported but never makes a process
 * unready: every service goes on without it (reads fall back to PostgreSQL,
 * pushes never wait on it), and an unready Redis must not empty the pool of
 * every API at once.
 */
export interface Readiness {
  status: 'ok' | 'degraded' | 'unavailable';
  checks: Record<string, string>;
}

export interface ReadinessCheck {
  /** What the check is called in the answer (`postgres`, `listen`, `redis`, `start`). */
  name: string;
  /** Resolves (with anything) when the dependency answers; a rejection's message is reported. Bounded by `READINESS_TIMEOUT_MS`. */
  probe: () => Promise<unknown> | unknown;
  /** False: reported, but a failure only degrades (Redis). */
  required: boolean;
}

export const READINESS_TIMEOUT_MS = 1000;

async function outcome(probe: ReadinessCheck['probe']): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS);
  });
  try {
    await Promise.race([Promise.resolve().then(probe), timeout]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check at once and says whether the process is ready. */
export async function checkReadiness(checks: readonly ReadinessCheck[]): Promise<Readiness> {
  const outcomes = await Promise.all(checks.map((check) => outcome(check.probe)));
  const failed = checks.filter((_, index) => outcomes[index] !== 'ok');
  return {
    status: failed.some((check) => check.required) ? 'unavailable' : failed.length > 0 ? 'degraded' : 'ok',
    checks: Object.fromEntries(checks.map((check, index) => [check.name, outcomes[index]!])),
  };
}

/** A probe that fails with `message` unless `holds()`: for state the process tracks itself (its LISTEN, its start). */
export function stateProbe(holds: () => boolean, message: string): () => void {
  return () => {
    if (!holds()) throw new Error(message);
  };
}
