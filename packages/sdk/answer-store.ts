import type { EvaluationContext, EvaluationReason, JsonValue } from '@flagship/evaluation';

/**
 * One flag's answer for the page's context, as OFREP's bulk evaluation gives it:
 * evaluated on the server, so the page never sees a rule (constraint values are
 * often e-mail addresses and customer ids).
 */
export interface FlagAnswer {
  key: string;
  /** The typed value: the chosen variant's payload, else the boolean. */
  value: JsonValue;
  /** The chosen variant's name, else `on` / `off`. */
  variant: string;
  reason: EvaluationReason;
  /** True when the flag is on for this context (Unleash's isEnabled). */
  enabled: boolean;
  /** The payload's type when a variant with a payload was chosen (`string`, `number`, `json`, `csv`). */
  payloadType?: string;
  /** Set when the flag could not be evaluated for this context (e.g. TARGETING_KEY_MISSING). */
  errorCode?: string;
}

/** Every answer for one context, as stored between page loads. */
export interface StoredAnswers {
  /** The context the answers are for (a stored set for another user is not used). */
  context: EvaluationContext;
  etag?: string;
  answers: FlagAnswer[];
}

/** Where the browser client keeps its last answers, so a page starts with them before FlagShip answers. */
export interface AnswerStore {
  load(): StoredAnswers | undefined;
  save(answers: StoredAnswers): void;
}

/** Keeps the last answers in `localStorage` under `key` (nothing secret: only evaluated answers). */
export function localStorageStore(key = 'flagship:answers', storage: Storage = globalThis.localStorage): AnswerStore {
  return {
    load() {
      try {
        const text = storage.getItem(key);
        const stored = text ? (JSON.parse(text) as StoredAnswers) : undefined;
        return stored && Array.isArray(stored.answers) ? stored : undefined;
      } catch {
        return undefined;
      }
    },
    save(answers) {
      try {
        storage.setItem(key, JSON.stringify(answers));
      } catch {
        // Storage full or denied (private mode): the answers stay in memory.
      }
    },
  };
}
