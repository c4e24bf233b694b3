import { InvalidArgumentError } from 'commander';

/** A whole number ≥ 0 (a version, a count). */
export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number (e.g. 42)');
  return Number(value);
}

/** A percentage 0–100. */
export function percentage(value: string): number {
  const number = wholeNumber(value);
  if (number > 100) throw new InvalidArgumentError('must be a whole number from 0 to 100');
  return number;
}

/** `500ms`, `30s`, `2m`, or a number of seconds. */
export function duration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('must be a duration such as 500ms, 30s or 2m');
  const amount = Number(match[1]);
  const milliseconds = match[2] === 'ms' ? amount : match[2] === 'm' ? amount * 60_000 : amount * 1000;
  if (milliseconds <= 0 || milliseconds > 24 * 3600_000) throw new InvalidArgumentError('must be more than 0 and at most 24h');
  return Math.round(milliseconds);
}

/** Collects a repeatable option (`--env a --env b`, or `--env a,b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((part) => part.trim()).filter(Boolean)];
}
