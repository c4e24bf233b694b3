/*
 * What evaluation will spend on one context. The costly step is a REGEX match:
 * re2js runs in time proportional to the program's size times the input's length,
 * so both are bounded, and their product bounds every match (about 200,000 steps).
 * The API refuses definitions and contexts beyond these limits; evaluation holds to
 * them too, for definitions stored before the limits existed and for SDKs that
 * evaluate contexts no server has checked.
 */

/** The longest context value (in UTF-16 units) any route accepts, and the longest a REGEX is matched against. */
export const MAX_CONTEXT_VALUE_LENGTH = 1000;

/**
 * The largest REGEX program (re2js's programSize(), RE2's "very approximate measure of
 * cost") a constraint may compile to: `^[\w.+-]+@acme\.com$` is 18, ten alternative
 * domains about 100, `[a-z0-9]{1,1000}$` 2,002.
 */
export const MAX_REGEX_PROGRAM_SIZE = 200;

/** The deepest nesting of arrays and objects in a `json` variant payload (JSON.stringify recurses). */
export const MAX_PAYLOAD_DEPTH = 32;
