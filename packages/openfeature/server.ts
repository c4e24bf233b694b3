import {
  OpenFeatureEventEmitter,
  ProviderEvents,
  ProviderFatalError,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/server-sdk';
import { FlagShipClient, FlagShipRefusedError, type FlagShipClientOptions } from '@flagship/sdk';
import { ConnectionEvents, type ProviderStateEvent } from './connection-events.js';
import { answerOfEvaluation, resolve, type RequestedType } from './resolution.js';

export interface FlagShipProviderOptions extends FlagShipClientOptions {}

/**
 * An OpenFeature server provider on FlagShip's Node SDK: the environment's
 * flags are held in memory, pushed within milliseconds of a change, and
 * evaluated locally (no request per evaluation). Each change emits
 * PROVIDER_CONFIGURATION_CHANGED with the keys of the flags it touched; a lost
 * connection PROVIDER_STALE, being back in sync PROVIDER_READY, a refusal for
 * good PROVIDER_ERROR (see ConnectionEvents).
 */
export class FlagShipProvider implements Provider {
  readonly metadata = { name: 'FlagShip' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  /** The SDK client underneath (for its stats, version or snapshot). */
  readonly client: FlagShipClient;
  private readonly connection: ConnectionEvents;

  constructor(options: FlagShipProviderOptions | { client: FlagShipClient }) {
    this.client = 'client' in options ? options.client : new FlagShipClient(options);
    this.client.on('change', (change) => {
      // A segment change can turn any flag using it: say which flags there are when one changed.
      const flagsChanged = change.segments.length > 0 ? this.allKeys() : change.flags.map((flag) => flag.key);
      this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged });
    });
    this.connection = new ConnectionEvents(this.client, (event, message) => this.events.emit(PROVIDER_EVENTS[event], { message }));
  }

  async initialize(): Promise<void> {
    try {
      await this.client.ready();
    } catch (error) {
      this.connection.initializeSettled({ failed: true });
      // Refused for good with nothing to serve: OpenFeature's FATAL (it answers defaults without asking).
      if (error instanceof FlagShipRefusedError) throw new ProviderFatalError(error.message);
      throw error;
    }
    this.connection.initializeSettled({ failed: false });
  }

  async onClose(): Promise<void> {
    await this.client.close();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.resolveAs(flagKey, 'boolean', defaultValue, context));
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.resolveAs(flagKey, 'string', defaultValue, context));
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.resolveAs(flagKey, 'number', defaultValue, context));
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.resolveAs(flagKey, 'object', defaultValue, context));
  }

  /**
   * OpenFeature's track(): counts the event for this context under every flag
   * the client reported exposures of (FlagShipClient.track), sent with the
   * exposures to FlagShip for guarded ramps. Needs the client's `events` option.
   */
  track(trackingEventName: string, context: EvaluationContext, trackingEventDetails: TrackingEventDetails): void {
    this.client.track(trackingEventName, context, { value: trackingEventDetails?.value });
  }

  private resolveAs<T>(flagKey: string, type: RequestedType, defaultValue: T, context: EvaluationContext): ResolutionDetails<T> {
    const evaluation = this.client.evaluate(flagKey, context);
    const metadata: Record<string, string | number | boolean> = {};
    if (this.client.environment !== undefined) metadata.environment = this.client.environment;
    if (this.client.version !== undefined) metadata.version = this.client.version;
    const answer = evaluation.errorCode === 'FLAG_NOT_FOUND' ? undefined : answerOfEvaluation(evaluation, metadata);
    return resolve(answer, type, defaultValue) as ResolutionDetails<T>;
  }

  private allKeys(): string[] {
    return this.client.snapshot()?.flags.map((flag) => flag.key) ?? [];
  }
}

const PROVIDER_EVENTS = {
  ready: ProviderEvents.Ready,
  stale: ProviderEvents.Stale,
  error: ProviderEvents.Error,
} as const satisfies Record<ProviderStateEvent, ProviderEvents>;
