import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { dependencyErrorCounter, type DependencyErrorCounter } from '../../shared/metrics/registry.js';
import { subjectsOfChange, type FlagChange } from '../../shared/schemas/socket.js';

/** What one socket's stream reports: how it was brought up to date. */
export interface StreamObserver {
  snapshotSent(): void;
  /** The socket resumed with `since` and was sent the `changes` it missed. */
  replayed(changes: number): void;
}

/** The notifier's instruments: what reaches running apps, and how late. */
export interface NotifierMetrics {
  socketOpened(environment: string): void;
  socketClosed(environment: string): void;
  /** A live change reached this notifier's relay (whether or not it has sockets of that environment). */
  changeRelayed(change: FlagChange): void;
  /** A live change was written to this notifier's sockets of its environment, now. */
  changeWritten(change: FlagChange): void;
  streamObserver(environment: string): StreamObserver;
  /** Where the relayed-version gauge reads from at each scrape (the relay, made after these instruments). */
  readRelayedVersions(read: () => Iterable<[environment: string, version: number]>): void;
  dependencyError: DependencyErrorCounter;
}

/** Push lag buckets, in seconds: a healthy push takes milliseconds, a stuck one seconds. */
const LAG_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createNotifierMetrics(registry: Registry): NotifierMetrics {
  const sockets = new Gauge({
    name: 'flagship_notifier_sockets',
    help: 'Connected Socket.IO clients on this notifier, by environment',
    labelNames: ['environment'],
    registers: [registry],
  });
  const relayed = new Counter({
    name: 'flagship_notifier_changes_relayed_total',
    help: "Live changes relayed by this notifier to its sockets, by environment",
    labelNames: ['environment'],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'flagship_notifier_push_lag_seconds',
    help: "From a change's time in PostgreSQL (the flag's or segment's updatedAt, taken as it was written) to its frame written to this notifier's sockets",
    labelNames: ['environment'],
    buckets: LAG_BUCKETS,
    registers: [registry],
  });
  const snapshots = new Counter({
    name: 'flagship_notifier_snapshots_sent_total',
    help: 'Whole snapshots sent to (re)connecting sockets (no since, or too far behind to replay), by environment',
    labelNames: ['environment'],
    registers: [registry],
  });
  const replays = new Counter({
    name: 'flagship_notifier_replays_total',
    help: 'Reconnections resumed from their since version with the changes they missed, by environment',
    labelNames: ['environment'],
    registers: [registry],
  });
  const replayedChanges = new Counter({
    name: 'flagship_notifier_replayed_changes_total',
    help: 'Changes sent to resuming sockets, by environment',
    labelNames: ['environment'],
    registers: [registry],
  });
  let relayedVersions: () => Iterable<[string, number]> = () => [];
  new Gauge({
    name: 'flagship_notifier_relayed_version',
    help: "The last environment version this notifier relayed to its sockets, by environment: below PostgreSQL's (or another notifier's), it is behind",
    labelNames: ['environment'],
    registers: [registry],
    collect() {
      for (const [environment, version] of relayedVersions()) this.set({ environment }, version);
    },
  });
  const observers = new Map<string, StreamObserver>();
  return {
    socketOpened: (environment) => sockets.inc({ environment }),
    socketClosed: (environment) => sockets.dec({ environment }),
    changeRelayed: (change) => relayed.inc({ environment: change.environment }),
    changeWritten(change) {
      const { flags, segments } = subjectsOfChange(change);
      const committedAt = Date.parse(flags[0]?.updatedAt ?? segments[0]?.updatedAt ?? '');
      // Clocks of two machines may disagree a little; a negative lag is no lag.
      if (!Number.isNaN(committedAt)) lag.observe({ environment: change.environment }, Math.max(0, Date.now() - committedAt) / 1000);
    },
    streamObserver(environment) {
      // One per environment, not per socket: 10,000 sockets share it.
      let observer = observers.get(environment);
      if (!observer) {
        observer = {
          snapshotSent: () => snapshots.inc({ environment }),
          replayed(changes) {
            replays.inc({ environment });
            replayedChanges.inc({ environment }, changes);
          },
        };
        observers.set(environment, observer);
      }
      return observer;
    },
    readRelayedVersions(read) {
      relayedVersions = read;
    },
    dependencyError: dependencyErrorCounter(registry),
  };
}
