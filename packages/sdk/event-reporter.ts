/** Where and how the SDK reports exposures and tracked events (what guarded ramps watch). */
export interface EventReportingOptions {
  /** FlagShip's API address (the one serving `/v1/client/events`), e.g. `http://flagship.internal:8080`. */
  url: string;
  /** Names this app in the counts. Default `flagship-sdk`. */
  appName?: string;
  /** How often counts are sent. Default 5000, at most 60000 (a batch covers at most a minute); also sent on close(). */
  intervalMs?: number;
  /** Distinct (flag, variant, event) counts held in one window; what comes beyond is dropped and counted in stats. Default 10000. */
  maxBuckets?: number;
  /** Batches kept for a retry while FlagShip is away; beyond, the oldest is dropped and counted. Default 60. */
  maxPendingBatches?: number;
  /** A batch not delivered after this long is dropped and counted. Default 600000 (10 minutes). */
  giveUpAfterMs?: number;
}

/** The event name exposures travel under. */
export const EXPOSURE_EVENT = 'exposure';

/** The built-in event name for errors (`track('errors')`, `trackError()`): what a guard usually watches. */
export const ERRORS_EVENT = 'errors';

/** The most buckets one request carries (the server's limit per batch). */
const MAX_BUCKETS_PER_REQUEST = 1000;
/** A window is sealed before it spans a minute, even when timers run late. */
const MAX_WINDOW_MS = 55_000;

/** Counters for monitoring the reporting itself. */
export interface EventReporterStats {
  /** Batches FlagShip acknowledged. */
  sentBatches: number;
  /** Batches waiting to be (re)sent. */
  pendingBatches: number;
  /** Counts dropped because the window held maxBuckets distinct ones already. */
  droppedBuckets: number;
  /** Batches dropped: undelivered for giveUpAfterMs, pushed out by maxPendingBatches, or refused by FlagShip (4xx). */
  droppedBatches: number;
}

interface Bucket {
  flag: string;
  variant: string;
  event: string;
  count: number;
  sum?: number;
}

interface SealedBatch {
  batchId: string;
  sealedAt: number;
  body: string;
}

/** A v4 UUID: crypto.randomUUID where it exists (Node 19+, secure pages), else Math.random's (a batch id only needs to be unique). */
function newBatchId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (crypto?.randomUUID) return crypto.randomUUID();
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

/**
 * Counts exposures and named events per flag and variant in memory and sends
 * them in batches to `POST /v1/client/events`. Each window is sealed into
 * batches with an id of their own, kept until FlagShip acknowledges them and
 * resent unchanged after a failure: FlagShip counts a batch id once, so a
 * retry after a lost answer never counts twice. Memory is bounded (maxBuckets
 * per window, maxPendingBatches waiting); what does not fit, or waits longer
 * than giveUpAfterMs, is dropped and counted in stats().
 */
export class EventReporter {
  private window = new Map<string, Bucket>();
  private windowStart = Date.now();
  private pending: SealedBatch[] = [];
  private sending: Promise<void> = Promise.resolve();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly counters = { sentBatches: 0, droppedBuckets: 0, droppedBatches: 0 };
  private readonly limits: Required<Omit<EventReportingOptions, 'url' | 'appName'>>;

  constructor(
    private readonly options: EventReportingOptions,
    private readonly token: string,
    private readonly onError: (error: Error) => void,
    private readonly fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
  ) {
    this.limits = {
      intervalMs: Math.min(options.intervalMs ?? 5000, 60_000),
      maxBuckets: options.maxBuckets ?? 10_000,
      maxPendingBatches: options.maxPendingBatches ?? 60,
      giveUpAfterMs: options.giveUpAfterMs ?? 600_000,
    };
    this.timer = setInterval(() => void this.flush(), this.limits.intervalMs);
    // A report timer alone must not keep a Node process alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Adds `count` (and `value` to the sum) to a flag's variant's event in this window. */
  count(flag: string, variant: string, event: string, value?: number): void {
    if (Date.now() - this.windowStart >= MAX_WINDOW_MS) this.seal();
    const key = `${flag}\u0000${variant}\u0000${event}`;
    let bucket = this.window.get(key);
    if (!bucket) {
      if (this.window.size >= this.limits.maxBuckets) {
        this.counters.droppedBuckets += 1;
        return;
      }
      bucket = { flag, variant, event, count: 0 };
      this.window.set(key, bucket);
    }
    bucket.count += 1;
    if (value !== undefined && Number.isFinite(value)) bucket.sum = (bucket.sum ?? 0) + value;
  }

  stats(): EventReporterStats {
    return { ...this.counters, pendingBatches: this.pending.length };
  }

  /** Seals what was counted and sends every batch waiting, oldest first (one send at a time). */
  flush(): Promise<void> {
    this.seal();
    this.sending = this.sending.then(() => this.sendPending());
    return this.sending;
  }

  /** Stops the timer and tries once more to send what is held. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Turns the window into batches of at most MAX_BUCKETS_PER_REQUEST buckets and starts a new window. */
  private seal(): void {
    const end = Date.now();
    const start = this.windowStart;
    this.windowStart = end;
    if (this.window.size === 0) return;
    const buckets = [...this.window.values()];
    this.window = new Map();
    const startIso = new Date(start).toISOString();
    const endIso = new Date(end).toISOString();
    for (let index = 0; index < buckets.length; index += MAX_BUCKETS_PER_REQUEST) {
      const batchId = newBatchId();
      const body = JSON.stringify({
        appName: this.options.appName ?? 'flagship-sdk',
        batchId,
        buckets: buckets.slice(index, index + MAX_BUCKETS_PER_REQUEST).map((bucket) => ({ ...bucket, start: startIso, end: endIso })),
      });
      this.pending.push({ batchId, sealedAt: end, body });
    }
    while (this.pending.length > this.limits.maxPendingBatches) {
      this.pending.shift();
      this.counters.droppedBatches += 1;
    }
  }

  private async sendPending(): Promise<void> {
    const now = Date.now();
    const fresh = this.pending.filter((batch) => now - batch.sealedAt < this.limits.giveUpAfterMs);
    this.counters.droppedBatches += this.pending.length - fresh.length;
    this.pending = fresh;
    while (this.pending.length > 0) {
      const batch = this.pending[0]!;
      try {
        const response = await this.fetchFn(`${this.options.url.replace(/\/$/, '')}/v1/client/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
          body: batch.body,
        });
        if (response.status >= 500 || response.status === 429) throw new Error(`FlagShip answered ${response.status}`);
        if (!response.ok) {
          // A 4xx will not get better by resending the same batch (a revoked token): drop it.
          this.counters.droppedBatches += 1;
          this.onError(new Error(`event batch refused: ${response.status} ${await response.text()}`));
        } else {
          this.counters.sentBatches += 1;
          await response.body?.cancel();
        }
        this.pending.shift();
      } catch (error) {
        // Kept as is, same id: the next flush resends it, and FlagShip counts it once.
        this.onError(new Error(`could not send events: ${error instanceof Error ? error.message : String(error)}`));
        return;
      }
    }
  }
}

/** The variant label an evaluation reports under: the variant's name, else `on` or `off`. */
export function variantLabel(enabled: boolean, variant: { name: string; enabled: boolean } | undefined): string {
  if (!enabled) return 'off';
  return variant?.enabled ? variant.name : 'on';
}
