import { FlagMetadataFollower } from '../../../../shared/domain/flags/flag-metadata-changes.js';
import type { Pool } from '../../../../shared/db/pool.js';
import type { Logger } from '../../../../shared/logger.js';
import { rateLimitedWarn } from '../../../../shared/log-rate-limit.js';
import type { FlagMetadataChange } from '../../../../shared/schemas/flags.js';

/** Changes read per query. */
const PAGE_SIZE = 500;

/**
 * Hands the admin streams every change of a flag's description, type, tags or
 * owner (the flag_metadata_change table, migration 000031). Such a change has
 * no environment version (SDKs never see these fields), so it takes no part
 * in the streams' cursors: this relay follows the table (each change once, as
 * soon as it is committed: shared/domain/flags/flag-metadata-changes.ts), every `pollMs` while a stream is open, in whichever process made the
 * change (one indexed query per interval per API process, none while no
 * console is open; it stops by itself once none is). A stream that was not open when a change was read has
 * not missed it: the console reads its flags again on every `ready`.
 */
export class FlagMetadataRelay {
  private follower: FlagMetadataFollower | undefined;
  private starting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private readonly warnReadFailed: (error: unknown) => void;

  constructor(
    private readonly pool: Pool,
    logger: Logger,
    private readonly send: (change: FlagMetadataChange) => void,
    /** Whether a stream is still open: the relay stops when none is. */
    private readonly needed: () => boolean,
    private readonly pollMs: number,
  ) {
    this.warnReadFailed = rateLimitedWarn(logger, 'admin stream: could not read flag metadata changes; will try again');
  }

  /** Starts reading (once): changes from now on are sent. Resolves once the starting point is known. */
  start(): Promise<void> {
    this.starting ??= FlagMetadataFollower.start(this.pool, PAGE_SIZE).then(
      (follower) => {
        this.follower = follower;
        this.timer = setInterval(() => void this.read(), this.pollMs).unref();
      },
      (error: unknown) => {
        this.starting = undefined;
        throw error;
      },
    );
    return this.starting;
  }

  /** Stops reading; the next start begins from the newest change again. */
  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.starting = undefined;
    this.follower = undefined;
  }

  private async read(): Promise<void> {
    if (!this.needed()) {
      this.stop();
      return;
    }
    if (this.reading) return;
    this.reading = true;
    try {
      const follower = this.follower;
      if (follower === undefined) return;
      const changes = await follower.next(this.pool);
      // Stopped (and perhaps started again) during the read: that start has its own follower.
      if (this.follower !== follower) return;
      for (const change of changes) this.send(change);
    } catch (error) {
      this.warnReadFailed(error);
    } finally {
      this.reading = false;
    }
  }
}
