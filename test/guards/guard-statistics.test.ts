import t from 'tap';
import {
  ALTERNATIVE_MULTIPLIERS,
  GUARD_ALPHA,
  judgeGuard,
  mixtureEvidence,
  windowLogLikelihoodRatio,
  type WindowCounts,
} from '../../shared/domain/ramps/guard-statistics.js';

const w = (treatmentExposures: number, treatmentEvents: number, controlExposures: number, controlEvents: number): WindowCounts => ({
  treatmentExposures,
  treatmentEvents,
  controlExposures,
  controlEvents,
});

t.test('known values of the mixture likelihood ratio', async (t) => {
  // Computed independently (Python, the formula of docs/guarded-ramps.md) and written out here.
  t.equal(ALTERNATIVE_MULTIPLIERS.length, 7, 'the grid the values below were computed on');
  t.ok(Math.abs(mixtureEvidence([w(100, 10, 100, 0)], 1.5) - 24.788645661238565) < 1e-9);
  t.ok(Math.abs(mixtureEvidence([w(1000, 30, 1000, 10)], 1.5) - 3.1462529645448845) < 1e-9);
  t.ok(Math.abs(mixtureEvidence([w(1000, 15, 1000, 10)], 1.5) - 0.39382642412346486) < 1e-9);
  t.ok(Math.abs(mixtureEvidence([w(500, 20, 1500, 20), w(800, 25, 1200, 10)], 2) - 3.2575077334088336) < 1e-9);
  // By hand: ρ₀ = 1.5, ρ₁ = 3, equal exposures: p₀ = 0.6, p₁ = 0.75; 10 treatment events, none in control.
  t.ok(Math.abs(windowLogLikelihoodRatio(w(100, 10, 100, 0), 3, 1.5) - 10 * Math.log(0.75 / 0.6)) < 1e-12);
  t.equal(windowLogLikelihoodRatio(w(0, 0, 100, 5), 3, 1.5), 0, 'a window without treatment exposures says nothing');
  t.equal(windowLogLikelihoodRatio(w(100, 0, 100, 0), 3, 1.5), 0, 'nor one without events');
  t.equal(mixtureEvidence([], 1.5), 1, 'no data: evidence 1');
});

t.test('the decision: minExposures per arm, then the evidence against 1/alpha', async (t) => {
  const strong = [w(1000, 90, 1000, 10)];
  t.equal(judgeGuard(strong, { maxRatio: 1.5, minExposures: 1001 }).decision, 'too-few-exposures', 'each arm needs minExposures');
  const judged = judgeGuard(strong, { maxRatio: 1.5, minExposures: 1000 });
  t.equal(judged.decision, 'breach');
  t.same(judged.treatment, { exposures: 1000, events: 90, rate: 0.09 });
  t.same(judged.control, { exposures: 1000, events: 10, rate: 0.01 });
  t.ok(Math.abs(judged.ratio! - 9) < 1e-12);
  t.equal(judged.threshold, 1 / GUARD_ALPHA);
  t.equal(judgeGuard([w(1000, 12, 1000, 10)], { maxRatio: 1.5, minExposures: 100 }).decision, 'no-breach');
  t.equal(judgeGuard([w(10, 0, 10, 0)], { maxRatio: 1.5, minExposures: 1 }).ratio, null, 'no control events: no ratio');
  t.ok(Number.isFinite(judgeGuard([w(1e6, 1e5, 1e6, 10)], { maxRatio: 1.5, minExposures: 1 }).evidence), 'evidence stays finite (JSON)');
});

/** mulberry32: a small seeded generator, so each simulated run is reproducible. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson draw: Knuth's method for small means, a rounded normal for large ones. */
function poisson(random: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = random();
    while (p > limit) {
      k += 1;
      p *= random();
    }
    return k;
  }
  const normal = Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
}

interface Scenario {
  seed: number;
  /** Exposures per second across the fleet. */
  exposuresPerSecond: number;
  controlRate: number;
  /** The true treatment rate over the control rate. */
  trueRatio: number;
  maxRatio: number;
  minExposures: number;
  /** The ramp: the treatment share at each second. */
  shareAt: (second: number) => number;
  seconds: number;
}

/**
 * A ramp as the worker sees it: counts arrive every 5 s into per-minute
 * windows, and the guard judges all windows so far after each arrival.
 * Returns the second of the first breach, or undefined.
 */
function simulate(scenario: Scenario): number | undefined {
  const random = generator(scenario.seed);
  const windows: WindowCounts[] = [];
  for (let second = 5; second <= scenario.seconds; second += 5) {
    const minute = Math.floor((second - 1) / 60);
    windows[minute] ??= w(0, 0, 0, 0);
    const window = windows[minute]!;
    const share = scenario.shareAt(second);
    const treatmentExposures = poisson(random, scenario.exposuresPerSecond * 5 * share);
    const controlExposures = poisson(random, scenario.exposuresPerSecond * 5 * (1 - share));
    window.treatmentExposures += treatmentExposures;
    window.controlExposures += controlExposures;
    window.treatmentEvents += poisson(random, treatmentExposures * scenario.controlRate * scenario.trueRatio);
    window.controlEvents += poisson(random, controlExposures * scenario.controlRate);
    const decision = judgeGuard(windows.filter(Boolean), { maxRatio: scenario.maxRatio, minExposures: scenario.minExposures }).decision;
    if (decision === 'breach') return second;
  }
  return undefined;
}

// The fleet of the end-to-end test: ~3,000 exposures a second, a 2% error rate, a ramp 10% → 50% in a minute.
const fleet = (seed: number, trueRatio: number, seconds = 600): Scenario => ({
  seed,
  exposuresPerSecond: 3000,
  controlRate: 0.02,
  trueRatio,
  maxRatio: 1.5,
  minExposures: 500,
  shareAt: (second) => Math.min(0.5, 0.1 + Math.floor(second / 15) * 0.1),
  seconds,
});

t.test('20 A/A ramps (no difference), ten minutes each, a look every 5 s: at most one false stop', async (t) => {
  const stops = Array.from({ length: 20 }, (_, run) => simulate(fleet(1000 + run, 1))).filter((stop) => stop !== undefined);
  t.comment(`A/A: ${stops.length} false stops in 20 runs (observed rate ${(stops.length / 20).toFixed(2)})`);
  t.ok(stops.length <= 1, `false stops: ${stops.length}`);
});

t.test('at the edge of the null (the treatment exactly maxRatio times worse), the false-alarm rate stays near alpha whatever the looks', async (t) => {
  const runs = 300;
  let stops = 0;
  for (let run = 0; run < runs; run += 1) {
    // 20 minutes, 240 looks each: an uncorrected test would stop most of these.
    if (simulate({ ...fleet(5000 + run, 1.5, 1200), exposuresPerSecond: 300 }) !== undefined) stops += 1;
  }
  t.comment(`edge of the null: ${stops} stops in ${runs} runs (${((100 * stops) / runs).toFixed(1)}%, alpha ${100 * GUARD_ALPHA}%)`);
  // alpha = 1%: 3 expected at most; 9 or more would happen by chance with probability < 0.001 if the bound held.
  t.ok(stops <= 8, `stops: ${stops}`);
});

t.test('a flag that triples the error rate is caught within a minute, every time', async (t) => {
  const caught = Array.from({ length: 20 }, (_, run) => simulate(fleet(9000 + run, 3, 60)));
  t.comment(`tripled error rate: stopped at ${caught.join(', ')} s`);
  t.ok(caught.every((second) => second !== undefined && second <= 60));
});
