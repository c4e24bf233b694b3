/**
 * The sequential test behind a ramp's guards (docs/guarded-ramps.md says it in
 * words). Null hypothesis: the event's rate per exposure among users who got
 * the treatment is at most `maxRatio` times the control's. Evidence against it
 * is a mixture likelihood ratio (an e-process): under the null its expected
 * value never exceeds 1 however many times it is computed, so by Ville's
 * inequality the chance it ever reaches 1/alpha is at most alpha. The guard may
 * look every second for a week and still raise a false alarm with
 * probability at most alpha.
 *
 * The model: in each window (a minute), events of each arm are Poisson with
 * mean rate × exposures. Given the window's total n events, the treatment's
 * share is Binomial(n, p(ρ)) with p(ρ) = ρ·Eₜ / (ρ·Eₜ + E꜀), ρ the true rate
 * ratio. That conditional likelihood needs neither base rate, and it stays
 * valid while the ramp moves users from control to treatment between windows.
 * For each alternative ρ₁ > ρ₀ = maxRatio the likelihood ratio
 * Π p(ρ₁)^eₜ (1 − p(ρ₁))^e꜀ / (p(ρ₀)^eₜ (1 − p(ρ₀))^e꜀) is a nonnegative
 * supermartingale under every ρ ≤ ρ₀ (the binomial family has a monotone
 * likelihood ratio); a weighted average of them over a fixed grid of
 * alternatives (weights summing to 1) is one too: the mixture SPRT.
 */

/** The default false-alarm bound of a guard: a ramp with no real difference stops by mistake at most 1 time in 100. */
export const GUARD_ALPHA = 0.01;

/** The alternatives the mixture averages over, as multiples of maxRatio, equally weighted. */
export const ALTERNATIVE_MULTIPLIERS: readonly number[] = [1.1, 1.25, 1.5, 2, 3, 5, 10];

/** One window's counts (a minute of reports), each arm's exposures and events. */
export interface WindowCounts {
  treatmentExposures: number;
  treatmentEvents: number;
  controlExposures: number;
  controlEvents: number;
}

export interface ArmFigures {
  exposures: number;
  events: number;
  /** Events per exposure; null without exposures. */
  rate: number | null;
}

export type GuardDecision = 'too-few-exposures' | 'no-breach' | 'breach';

export interface GuardFigures {
  treatment: ArmFigures;
  control: ArmFigures;
  /** Treatment rate over control rate; null when either rate is unknown or the control's is 0. */
  ratio: number | null;
  /** The mixture likelihood ratio against "ratio ≤ maxRatio"; a breach needs at least `threshold`. */
  evidence: number;
  threshold: number;
  decision: GuardDecision;
}

export interface GuardRule {
  maxRatio: number;
  minExposures: number;
  /** Default GUARD_ALPHA. */
  alpha?: number;
}

/** p(ρ): the share of a window's events expected in the treatment when the rate ratio is ρ. */
function treatmentShare(ratio: number, window: WindowCounts): number {
  const weighted = ratio * window.treatmentExposures;
  return weighted / (weighted + window.controlExposures);
}

/** log of the likelihood ratio of ρ₁ against ρ₀ for one window; 0 for a window that cannot tell them apart. */
export function windowLogLikelihoodRatio(window: WindowCounts, alternative: number, maxRatio: number): number {
  // A window where one arm saw nobody says nothing about the ratio (p is 0 or 1 under both).
  if (window.treatmentExposures <= 0 || window.controlExposures <= 0) return 0;
  if (window.treatmentEvents + window.controlEvents === 0) return 0;
  const p1 = treatmentShare(alternative, window);
  const p0 = treatmentShare(maxRatio, window);
  return window.treatmentEvents * Math.log(p1 / p0) + window.controlEvents * Math.log((1 - p1) / (1 - p0));
}

/** The mixture likelihood ratio (an e-value) of the windows so far against "rate ratio ≤ maxRatio". */
export function mixtureEvidence(windows: readonly WindowCounts[], maxRatio: number): number {
  const logs = ALTERNATIVE_MULTIPLIERS.map((multiplier) => {
    const alternative = maxRatio * multiplier;
    let sum = 0;
    for (const window of windows) sum += windowLogLikelihoodRatio(window, alternative, maxRatio);
    return sum;
  });
  // log-sum-exp, then the equal weights.
  const top = Math.max(...logs);
  const total = logs.reduce((acc, value) => acc + Math.exp(value - top), 0);
  return Math.exp(top + Math.log(total / logs.length));
}

const arm = (exposures: number, events: number): ArmFigures => ({ exposures, events, rate: exposures > 0 ? events / exposures : null });

/**
 * The guard's figures and decision on the windows so far: a breach when both
 * arms have at least minExposures and the evidence reaches 1/alpha.
 */
export function judgeGuard(windows: readonly WindowCounts[], rule: GuardRule): GuardFigures {
  let treatmentExposures = 0;
  let treatmentEvents = 0;
  let controlExposures = 0;
  let controlEvents = 0;
  for (const window of windows) {
    treatmentExposures += window.treatmentExposures;
    treatmentEvents += window.treatmentEvents;
    controlExposures += window.controlExposures;
    controlEvents += window.controlEvents;
  }
  const treatment = arm(treatmentExposures, treatmentEvents);
  const control = arm(controlExposures, controlEvents);
  const ratio = treatment.rate !== null && control.rate !== null && control.rate > 0 ? treatment.rate / control.rate : null;
  const evidence = mixtureEvidence(windows, rule.maxRatio);
  const threshold = 1 / (rule.alpha ?? GUARD_ALPHA);
  const enough = treatmentExposures >= rule.minExposures && controlExposures >= rule.minExposures;
  const decision: GuardDecision = !enough ? 'too-few-exposures' : evidence >= threshold ? 'breach' : 'no-breach';
  // Kept finite: the figures travel as JSON, which has no Infinity.
  return { treatment, control, ratio, evidence: Math.min(evidence, Number.MAX_VALUE), threshold, decision };
}
