import {
  OpenFeatureEventEmitter,
  ProviderEvents,
  ProviderFatalError,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/web-sdk';
import {
  FlagShipBrowserClient,
  FlagShipBrowserRefusedError,
  type FlagAnswer,
  type FlagShipBrowserClientOptions,
} from '@flagship/sdk/browser';
import { ConnectionEvents, type ProviderStateEvent } from './connection-events.js';
import { resolve, type Answer, type RequestedType } from './resolution.js';

export type FlagShipWebProviderOptions = Omit<FlagShipBrowserClientOptions, 'context'>;

/**
 * An OpenFeature web provider on FlagShip's browser SDK (frontend token): the
 * answers for the page's user are evaluated by FlagShip (the page sees no
 * rule), refetched when the event stream hints at a change, and read
 * synchronously. Each pushed change emits PROVIDER_CONFIGURATION_CHANGED
 * with the keys whose answers changed; a new context refetches them all. A
 * lost connection emits PROVIDER_STALE, being back in sync PROVIDER_READY, a
 * refused token PROVIDER_ERROR (see ConnectionEvents).
 */
export class FlagShipWebProvider implements Provider {
  readonly metadata = { name: 'FlagShip' } as const;
  readonly runsOn = 'client' as const;
  readonly events = new OpenFeatureEventEmitter();
  private client: FlagShipBrowserClient | undefined;

  constructor(private readonly options: FlagShipWebProviderOptions) {}

  async initialize(context?: EvaluationContext): Promise<void> {
    const client = new FlagShipBrowserClient({ ...this.options, context: { ...context } });
    this.client = client;
    client.on('change', (change) => {
      if (change.reason === 'pushed') this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: change.keys });
    });
    const connection = new ConnectionEvents(client, (event, message) => this.events.emit(PROVIDER_EVENTS[event], { message }));
    try {
      await client.ready();
    } catch (error) {
      connection.initializeSettled({ failed: true });
      // Refused for good with nothing to serve: OpenFeature's FATAL (it answers defaults without asking).
      if (error instanceof FlagShipBrowserRefusedError) throw new ProviderFatalError(error.message);
      throw error;
    }
    connection.initializeSettled({ failed: false });
  }

  async onContextChange(_oldContext: EvaluationContext, newContext: EvaluationContext): Promise<void> {
    await this.client?.setContext({ ...newContext });
  }

  async onClose(): Promise<void> {
    this.client?.close();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): ResolutionDetails<boolean> {
    return this.resolveAs(flagKey, 'boolean', defaultValue);
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string): ResolutionDetails<string> {
    return this.resolveAs(flagKey, 'string', defaultValue);
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number): ResolutionDetails<number> {
    return this.resolveAs(flagKey, 'number', defaultValue);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
    return this.resolveAs(flagKey, 'object', defaultValue);
  }

  /**
   * OpenFeature's track(): counts the event of the page's user under every
   * flag the page read (FlagShipBrowserClient.track), sent to FlagShip for
   * guarded ramps. Needs the `events` option.
   */
  track(trackingEventName: string, _context: EvaluationContext, trackingEventDetails: TrackingEventDetails): void {
    this.client?.track(trackingEventName, { value: trackingEventDetails?.value });
  }

  private resolveAs<T>(flagKey: string, type: RequestedType, defaultValue: T): ResolutionDetails<T> {
    const answer = this.client?.answer(flagKey);
    return resolve(answer && answerOfRemote(answer), type, defaultValue) as ResolutionDetails<T>;
  }
}

function answerOfRemote(answer: FlagAnswer): Answer {
  const chosen = answer.payloadType !== undefined || (answer.variant !== 'on' && answer.variant !== 'off');
  const result: Answer = {
    enabled: answer.enabled,
    value: answer.value,
    variant: chosen ? answer.variant : undefined,
    payloadType: answer.payloadType,
    reason: answer.reason,
    metadata: { enabled: answer.enabled },
  };
  if (answer.errorCode !== undefined) result.errorCode = answer.errorCode;
  return result;
}

const PROVIDER_EVENTS = {
  ready: ProviderEvents.Ready,
  stale: ProviderEvents.Stale,
  error: ProviderEvents.Error,
} as const satisfies Record<ProviderStateEvent, ProviderEvents>;
