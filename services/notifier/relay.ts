import { listEnvironments } from '../../shared/domain/environments/environment-repository.js';
import type { Queryable } from '../../shared/db/pool.js';
import type { Logger } from '../../shared/logger.js';
import type { ChangeNotification } from '../../shared/schemas/events.js';
import type { FlagChange } from '../../shared/schemas/socket.js';
import type { CacheWriter } from './cache-writer.js';
import { EnvironmentFeed, type RelayTarget } from './environment-feed.js';
import type { Snapshot } from '../../shared/schemas/snapshots.js';
import type { PreparedPayload } from './prepared-payload.js';

/** How long to wait before reading the table again after a failed read (PostgreSQL away). */
const RETRY_DELAY_MS = 500;

/**
 * Turns PostgreSQL's change hints into ordered relays, one feed per
 * environment. Every notifier process runs its own relay against PostgreSQL
 * and hands the changes only to its own sockets, so no change travels between
 * notifiers (see io.ts for why that is exactly-once).
 */
export class ChangeRelay {
  private readonly feeds = new Map<string, EnvironmentFeed>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly db: Queryable,
    private readonly cache: CacheWriter,
    private readonly target: RelayTarget,
    private readonly logger: Logger,
    /** Told of every failed read of PostgreSQL (for the dependency error metric). */
    private readonly onReadError?: (error: unknown) => void,
  ) {}

  /** A NOTIFY arrived: catch up unless that version was relayed already. */
  hint(notification: ChangeNotification): void {
    const feed = this.feedOf(notification.environment);
    const relayed = feed.relayedVersion;
    if (relayed !== undefined && notification.version <= relayed) return;
    this.catchUp(feed);
  }

  /** The last version this notifier relayed for `environment`; undefined before its first catch-up. */
  relayedVersion(environment: string): number | undefined {
    return this.feeds.get(environment)?.relayedVersion;
  }

  /** Every environment's last relayed version, for the metrics. */
  *relayedVersions(): Iterable<[environment: string, version: number]> {
    for (const [environment, feed] of this.feeds) {
      const version = feed.relayedVersion;
      if (version !== undefined) yield [environment, version];
    }
  }

  /** The snapshot at that version, where a socket joining now starts: as a socket payload, its JSON made once per version. */
  relayedPayload(environment: string): { version: number; payload: PreparedPayload<Snapshot> } | undefined {
    return this.feeds.get(environment)?.relayedPayload();
  }

  /** The snapshot object at the relayed version (shared, never modified): what a socket of some projects starts from, in part. */
  relayedSnapshot(environment: string): Snapshot | undefined {
    return this.feeds.get(environment)?.relayedSnapshot();
  }

  /** The changes after `version` this notifier relayed and still holds (ChangeRelay keeps the latest few hundred), else undefined. */
  relayedChangesAfter(environment: string, version: number, limit: number): FlagChange[] | undefined {
    return this.feeds.get(environment)?.changesAfter(version, limit);
  }

  /** LISTEN is (again) active: catch up every environment, including ones created meanwhile. */
  catchUpAll(): void {
    if (this.closed) return;
    listEnvironments(this.db).then(
      (environments) => {
        for (const environment of environments) this.catchUp(this.feedOf(environment.key));
      },
      (error: unknown) => {
        this.onReadError?.(error);
        this.logger.warn({ err: error }, 'could not list environments; retrying');
        this.later(() => this.catchUpAll());
      },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    await Promise.allSettled([...this.feeds.values()].map((feed) => feed.idle()));
  }

  private feedOf(environment: string): EnvironmentFeed {
    let feed = this.feeds.get(environment);
    if (!feed) {
      feed = new EnvironmentFeed(environment, this.db, this.cache, this.target);
      this.feeds.set(environment, feed);
    }
    return feed;
  }

  private catchUp(feed: EnvironmentFeed): void {
    if (this.closed) return;
    feed.catchUp().catch((error: unknown) => {
      if (this.closed) return;
      this.onReadError?.(error);
      this.logger.warn({ err: error, environment: feed.environment }, 'catch-up failed; retrying');
      this.later(() => this.catchUp(feed));
    });
  }

  private later(work: () => void): void {
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      work();
    }, RETRY_DELAY_MS);
    this.retries.add(timer);
  }
}
