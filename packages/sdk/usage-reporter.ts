/** Where and how often the SDK reports how often each flag was evaluated. */
export interface UsageReportingOptions {
  /** FlagShip's API address (the one serving `/api/client/metrics`), e.g. `http://flagship.internal:8080`. */
  url: string;
  /** Names this app in the report (Unleash's appName). Default `flagship-sdk`. */
  appName?: string;
  /** How often counts are sent. Default 60000; counts are also sent on close(). */
  intervalMs?: number;
}

interface FlagCounts {
  yes: number;
  no: number;
  variants: Record<string, number>;
}

/**
 * Counts evaluations per flag (yes/no and chosen variant) and posts them to
 * FlagShip in Unleash's client-metrics format, so the admin API can show each
 * flag's usage and which flags no running app evaluates any more (stale).
 * A failed report keeps its counts for the next one: nothing is lost while
 * FlagShip is away, and nothing is sent twice.
 */
export class UsageReporter {
  private counts = new Map<string, FlagCounts>();
  private start = new Date();
  private timer: ReturnType<typeof setInterval> | undefined;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: UsageReportingOptions,
    private readonly token: string,
    private readonly onError: (error: Error) => void,
    private readonly fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
  ) {
    this.timer = setInterval(() => void this.flush(), options.intervalMs ?? 60_000);
    // A report timer alone must not keep a Node process alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  count(key: string, enabled: boolean, variant?: string): void {
    let counts = this.counts.get(key);
    // Variant names are the user's (`constructor` read Object's otherwise): no prototype.
    if (!counts) this.counts.set(key, (counts = { yes: 0, no: 0, variants: Object.create(null) as Record<string, number> }));
    if (enabled) counts.yes += 1;
    else counts.no += 1;
    if (variant !== undefined) counts.variants[variant] = (counts.variants[variant] ?? 0) + 1;
  }

  /** Sends what was counted since the last report (one report at a time). */
  flush(): Promise<void> {
    this.sending = this.sending.then(() => this.send());
    return this.sending;
  }

  /** Stops the timer and sends the last counts. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async send(): Promise<void> {
    if (this.counts.size === 0) return;
    const counts = this.counts;
    const start = this.start;
    this.counts = new Map();
    this.start = new Date();
    const body = {
      appName: this.options.appName ?? 'flagship-sdk',
      bucket: { start: start.toISOString(), stop: this.start.toISOString(), toggles: Object.fromEntries(counts) },
    };
    try {
      const response = await this.fetchFn(`${this.options.url.replace(/\/$/, '')}/api/client/metrics`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status >= 500 || response.status === 429) throw new Error(`FlagShip answered ${response.status}`);
      // A 4xx will not get better by retrying these counts (a revoked token, a flag renamed): drop them.
      if (!response.ok) this.onError(new Error(`usage report refused: ${response.status} ${await response.text()}`));
    } catch (error) {
      this.mergeBack(counts, start);
      this.onError(new Error(`could not report usage: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  private mergeBack(counts: Map<string, FlagCounts>, start: Date): void {
    for (const [key, earlier] of counts) {
      const now = this.counts.get(key);
      if (!now) {
        this.counts.set(key, earlier);
        continue;
      }
      now.yes += earlier.yes;
      now.no += earlier.no;
      for (const [variant, n] of Object.entries(earlier.variants)) now.variants[variant] = (now.variants[variant] ?? 0) + n;
    }
    this.start = start;
  }
}
