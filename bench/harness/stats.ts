/** Order statistics of a sample (nearest-rank percentiles). */
export interface Summary {
  count: number;
  median: number;
  p99: number;
  max: number;
  min: number;
  mean: number;
}

export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(values: Iterable<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  let total = 0;
  for (const value of sorted) total += value;
  return {
    count: sorted.length,
    median: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    min: sorted.length ? sorted[0]! : Number.NaN,
    mean: sorted.length ? total / sorted.length : Number.NaN,
  };
}

/** 12345.6 → "12,346"; small numbers keep a significant decimal or two. */
export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return String(value);
  const fraction = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: fraction, maximumFractionDigits: fraction });
}

export function formatMs(value: number): string {
  return `${formatNumber(value)} ms`;
}
