import { EventEmitter } from 'node:events';
import type { UnleashConfig } from 'unleash-client';

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
