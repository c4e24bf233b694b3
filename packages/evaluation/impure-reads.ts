/*
 * Evaluation is a function of the definitions and the context, except where it
 * reads the clock (a date constraint without `currentTime`) or draws a random
 * number (random stickiness, gradualRolloutRandom, a variant with nothing to
 * stick to). Those reads go through here and are counted, so a caller can tell
 * whether an answer it just computed would come out the same for the same
 * context and definitions: if the count did not move while it was computed.
 * The API keeps such answers for contexts that come again (answer-cache.ts).
 */
let reads = 0;

/** How many times evaluation has read the clock or drawn a random number in this process. */
export const impureReads = (): number => reads;

/** Date.now(), counted. */
export function clockNow(): number {
  reads += 1;
  return Date.now();
}

/** Math.random(), counted. */
export function randomFraction(): number {
  reads += 1;
  return Math.random();
}
