// A driver process for the peers measure: Node SDK clients of either server —
// unleash-client (of Unleash, or of FlagShip's Unleash client API) and the
// repo's FlagShipClient — watching one flag. Each write gives the flag a rollout
// it never had before, so the first time a client holds that rollout is the
// moment the change reached it, whatever else the client was told in between.
import { InMemStorageProvider, Unleash, UnleashEvents } from 'unleash-client';
import { FlagShipClient } from '../../packages/sdk/index.js';
import { monotonicMs, sleep } from '../harness/clock.js';
import { serveCommands } from '../harness/ipc.js';

export interface PeerClientsArgs {
  /** Clients are counted per group: one group per (server, SDK, mode). */
  group: string;
  sdk: 'unleash-client' | 'flagship';
  /** unleash-client: the server's root (the client adds /api/client/...); flagship: the notifier. */
  url: string;
  token: string;
  /** flagship: the token's environment. */
  environment?: string;
  /**
   * unleash-client: 'default' is its configuration out of the box (polling every 15 s;
   * a server that answers `fetch-mode: streaming` moves it to streaming), 'streaming'
   * starts with experimentalMode streaming.
   */
  mode?: 'default' | 'streaming';
  count: number;
  /** Pause between starting two clients, so polling clients fetch at phases spread over their interval. */
  staggerMs: number;
  flagKey: string;
}

/** Per rollout value written: when each client of the group first held it (monotonicMs). */
export type Receipts = Record<number, number[]>;

interface Watcher {
  group: string;
  close(): void;
  /** unleash-client: the mode it ended in ('polling' or 'streaming'). */
  mode(): string;
}

const watchers: Watcher[] = [];
const receipts = new Map<string, Map<number, number[]>>();
let errors = 0;

function record(group: string, seen: Set<number>, rollout: number | undefined): void {
  if (rollout === undefined || seen.has(rollout)) return;
  seen.add(rollout);
  const now = monotonicMs();
  let byRollout = receipts.get(group);
  if (!byRollout) receipts.set(group, (byRollout = new Map()));
  const times = byRollout.get(rollout) ?? [];
  times.push(now);
  byRollout.set(rollout, times);
}

function unleashRollout(client: Unleash, key: string): number | undefined {
  const value = client.getFeatureToggleDefinition(key)?.strategies?.[0]?.parameters?.rollout as string | number | undefined;
  return value === undefined ? undefined : Number(value);
}

async function startUnleashClient(args: PeerClientsArgs, index: number): Promise<Watcher> {
  const client = new Unleash({
    url: `${args.url}/api`,
    appName: `bench-peers-${args.group}`,
    instanceId: `${args.group}-${index}`,
    customHeaders: { Authorization: args.token },
    disableMetrics: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    ...(args.mode === 'streaming' ? { experimentalMode: { type: 'streaming' as const } } : {}),
  });
  const seen = new Set<number>();
  client.on(UnleashEvents.Error, () => {
    errors += 1;
  });
  client.on(UnleashEvents.Changed, () => record(args.group, seen, unleashRollout(client, args.flagKey)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`unleash-client ${args.group}#${index} not synchronized after 30 s`)), 30_000);
    client.once(UnleashEvents.Synchronized, () => {
      clearTimeout(timer);
      resolve();
    });
  });
  seen.add(unleashRollout(client, args.flagKey) ?? Number.NaN);
  return {
    group: args.group,
    close: () => client.destroy(),
    mode: () => (client as unknown as { repository?: { fetcher?: { getMode?(): string } } }).repository?.fetcher?.getMode?.() ?? 'unknown',
  };
}

async function startFlagShipClient(args: PeerClientsArgs): Promise<Watcher> {
  const client = new FlagShipClient({ url: args.url, token: args.token, environment: args.environment, readyTimeoutMs: 30_000 });
  const seen = new Set<number>();
  client.on('error', () => {
    errors += 1;
  });
  client.on('change', (change) => {
    const flag = change.flags.find((one) => one.key === args.flagKey);
    if (flag?.rollout !== undefined && flag.rollout !== null) record(args.group, seen, flag.rollout);
  });
  await client.ready();
  const current = client.snapshot()?.flags.find((one) => one.key === args.flagKey)?.rollout;
  if (current !== undefined && current !== null) seen.add(current);
  return { group: args.group, close: () => void client.close(), mode: () => 'socket.io' };
}

async function start(args: PeerClientsArgs): Promise<{ started: number; modes: string[] }> {
  const started: Watcher[] = [];
  for (let index = 0; index < args.count; index += 1) {
    if (index > 0) await sleep(args.staggerMs);
    started.push(args.sdk === 'flagship' ? await startFlagShipClient(args) : await startUnleashClient(args, index));
  }
  watchers.push(...started);
  return { started: started.length, modes: started.map((watcher) => watcher.mode()) };
}

/** How many clients of `group` hold `rollout` so far. */
function reached({ group, rollout }: { group: string; rollout: number }): { clients: number } {
  return { clients: receipts.get(group)?.get(rollout)?.length ?? 0 };
}

function collect({ group }: { group: string }): { receipts: Receipts; modes: string[]; errors: number } {
  const byRollout = receipts.get(group) ?? new Map<number, number[]>();
  return {
    receipts: Object.fromEntries(byRollout),
    modes: watchers.filter((watcher) => watcher.group === group).map((watcher) => watcher.mode()),
    errors,
  };
}

function stop({ group }: { group: string }): { stopped: number } {
  let stopped = 0;
  for (let index = watchers.length - 1; index >= 0; index -= 1) {
    if (watchers[index]!.group !== group) continue;
    watchers[index]!.close();
    watchers.splice(index, 1);
    stopped += 1;
  }
  receipts.delete(group);
  return { stopped };
}

serveCommands(
  { start, reached, collect, stop, clock: () => ({ now: monotonicMs() }) },
  () => {
    for (const watcher of watchers.splice(0)) watcher.close();
  },
);
