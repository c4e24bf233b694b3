import { EventEmitter } from 'node:events';
import { Unleash, type UnleashConfig } from 'unleash-client';

type Repository = NonNullable<UnleashConfig['repository']>;
export type Toggle = NonNullable<ReturnType<Repository['getToggle']>>;
export type UnleashSegment = NonNullable<ReturnType<Repository['getSegment']>>;

/** unleash-client's repository interface over fixed toggles and segments: what it evaluates, without fetching. */
export class StaticRepository extends EventEmitter implements Repository {
  private readonly toggles: Map<string, Toggle>;
  private readonly segments: Map<number, UnleashSegment>;

  constructor(toggles: Toggle[], segments: UnleashSegment[] = []) {
    super();
    this.toggles = new Map(toggles.map((toggle) => [toggle.name, toggle]));
    this.segments = new Map(segments.map((segment) => [segment.id, segment]));
  }

  getToggle(name: string) {
    return this.toggles.get(name);
  }

  getToggles() {
    return [...this.toggles.values()];
  }

  getTogglesWithSegmentData(): ReturnType<Repository['getTogglesWithSegmentData']> {
    return this.getToggles().map(({ strategies, ...toggle }) => ({
      ...toggle,
      strategies: strategies?.map(({ segments, constraints, ...strategy }) => ({
        ...strategy,
        constraints: [...(constraints ?? []), ...(segments ?? []).flatMap((id) => this.segments.get(id)?.constraints ?? [])],
      })),
    }));
  }

  getSegment(id: number) {
    return this.segments.get(id);
  }

  stop() {}

  async start() {
    this.emit('ready');
    this.emit('changed', this.getToggles());
  }
}

/** unleash-client evaluating `toggles` offline (no fetching, no metrics), once it has synchronised. */
export async function offlineUnleash(toggles: Toggle[], segments: UnleashSegment[] = []): Promise<Unleash> {
  const unleash = new Unleash({
    appName: 'flagship-bench',
    url: 'http://127.0.0.1:9/unused',
    disableMetrics: true,
    refreshInterval: 0,
    skipInstanceCountWarning: true,
    repository: new StaticRepository(toggles, segments),
  });
  await new Promise<void>((resolve) => unleash.once('synchronized', () => resolve()));
  return unleash;
}
