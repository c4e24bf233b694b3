/**
 * Times and durations in the viewer's own locale and time zone (the browser's
 * settings, never a fixed format): "3 hours ago", "12/7/2026, 09:14:03".
 */

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
  ['second', 1000],
];

let relative: Intl.RelativeTimeFormat | undefined;
let absolute: Intl.DateTimeFormat | undefined;

/** How long ago (or how far ahead) `time` is from `now`, in the viewer's words: "3 hours ago", "in 2 days". */
export function relativeTimeText(time: string | Date, now: number = Date.now()): string {
  relative ??= new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const difference = new Date(time).getTime() - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(difference) >= size || unit === 'second') return relative.format(Math.round(difference / size), unit);
  }
  return relative.format(0, 'second');
}

/** A date and time as the viewer's locale writes them, in their time zone. */
export function localTimeText(time: string | Date): string {
  absolute ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  return absolute.format(new Date(time));
}

/** The latest of some times (ISO strings), or null when there is none. */
export function latestTime(times: Array<string | null | undefined>): string | null {
  let latest: string | null = null;
  for (const time of times) if (time && (latest === null || Date.parse(time) > Date.parse(latest))) latest = time;
  return latest;
}
