/** The units the ramp form offers for "every", and how each is written in ISO 8601. */
export const DURATION_UNITS = [
  { unit: 'seconds', label: 'seconds', iso: (amount: string) => `PT${amount}S` },
  { unit: 'minutes', label: 'minutes', iso: (amount: string) => `PT${amount}M` },
  { unit: 'hours', label: 'hours', iso: (amount: string) => `PT${amount}H` },
  { unit: 'days', label: 'days', iso: (amount: string) => `P${amount}D` },
] as const;

export type DurationUnit = (typeof DURATION_UNITS)[number]['unit'];

/**
 * A number and a unit as the ISO 8601 duration the API takes (`2` hours →
 * `PT2H`). An empty or non-numeric amount is sent as written (`PTH`), so the
 * API's 400 names the field rather than the page guessing a default.
 */
export function isoDurationOf(amount: string, unit: DurationUnit): string {
  const written = amount.trim();
  const format = DURATION_UNITS.find((candidate) => candidate.unit === unit)!;
  return format.iso(written);
}
