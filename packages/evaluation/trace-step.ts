/**
 * One check of an explained evaluation (explain() in evaluate.ts), in the
 * order it ran, with what it looked at, the context value it saw and whether
 * it `held`. Plain data: it goes to JSON as it is.
 */
export type TraceStep =
  /** The flag's own switch: off is DISABLED, whatever else it holds. */
  | { kind: 'flag'; flag: string; enabled: boolean; held: boolean }
  /**
   * A dependency on another flag (`flag`): it must be on (`expected: 'enabled'`), off
   * (`'disabled'`), or on with one of `variants`; what the parent answered. `missing`:
   * no such live flag; `nested`: the parent has dependencies of its own (one level only).
   */
  | {
      kind: 'dependency';
      flag: string;
      expected: 'enabled' | 'disabled' | 'variant';
      variants?: string[];
      parentEnabled?: boolean;
      parentVariant?: string;
      missing?: true;
      nested?: true;
      held: boolean;
    }
  /** A strategy (by position and id); it held when its constraints, its segments and its own rule all did. */
  | { kind: 'strategy'; strategy: number; id?: string; name: string; disabled?: true; held: boolean }
  /** A constraint of strategy `strategy` (of segment `segment` when set), the context value it read, and its answer. */
  | {
      kind: 'constraint';
      strategy: number;
      segment?: number;
      contextName: string;
      operator: string;
      values?: string[];
      value?: string;
      inverted?: boolean;
      caseInsensitive?: boolean;
      contextValue: string | null;
      held: boolean;
    }
  /** A segment a strategy names; `missing`: no such segment (it never holds). */
  | { kind: 'segment'; strategy: number; segment: number; name?: string; missing?: true; held: boolean }
  /**
   * A strategy's own rule: for a percentage, the bucket (1-100) the context value fell in
   * and the percentage it had to be within; `keyMissing` when no value was there to hash.
   */
  | {
      kind: 'rollout';
      strategy: number;
      name: string;
      percentage?: string;
      stickiness?: string;
      groupId?: string;
      contextValue: string | null;
      bucket?: number;
      keyMissing?: true;
      held: boolean;
    }
  /** The variant picked: from the matching strategy's list or the flag's, by an override or by the hash (1..totalWeight). */
  | { kind: 'variant'; source: 'strategy' | 'flag'; strategy?: number; name: string; by: 'override' | 'hash'; hash?: number; totalWeight: number; held: true };
