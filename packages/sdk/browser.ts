/**
 * The browser entry (`@flagship/sdk` under the `browser` condition, or
 * `@flagship/sdk/browser`): answers evaluated by FlagShip for the page's user
 * with a frontend token, and change hints pushed over OFREP's event stream.
 * No Node built-ins, no Socket.IO, no rules on the page.
 */
export {
  FlagShipBrowserClient,
  FlagShipBrowserRefusedError,
  type FlagShipBrowserChange,
  type FlagShipBrowserClientOptions,
} from './browser-client.js';
export { localStorageStore, type AnswerStore, type FlagAnswer, type StoredAnswers } from './answer-store.js';
export type { ConnectionStatus, FlagShipDisconnected, FlagShipReconnected } from './connection-state.js';
export { TypedEmitter } from './emitter.js';
export { ERRORS_EVENT, EXPOSURE_EVENT, type EventReporterStats, type EventReportingOptions } from './event-reporter.js';
export type { EvaluatedVariant, EvaluationContext, EvaluationReason, JsonValue } from '@flagship/evaluation';
