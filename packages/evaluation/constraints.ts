import ipaddr from 'ipaddr.js';
import { RE2JS } from 're2js';
import { SemVer } from 'semver';
import { contextValue, type EvaluationContext } from './context.js';
import { clockNow } from './impure-reads.js';
import { MAX_CONTEXT_VALUE_LENGTH, MAX_REGEX_PROGRAM_SIZE } from './limits.js';
import type { Constraint } from './model.js';

/** A constraint turned into a test: everything expensive (regex, semver, CIDR, sets) done once. */
export type ConstraintTest = (context: EvaluationContext) => boolean;

const never: ConstraintTest = () => false;

/** Unleash's cleanValues: drop empty candidates, trim the rest. */
const cleanValues = (values: readonly string[] | undefined): string[] =>
  (values ?? []).filter((value) => typeof value === 'string' && value !== '').map((value) => value.trim());

/**
 * A semantic version, or undefined. Context values follow Unleash's rule (valid and not
 * starting with `v`); a constraint's own value may carry a `v`, as `semver` accepts it.
 */
export function parseSemver(version: string | undefined, { allowV = false } = {}): SemVer | undefined {
  if (typeof version !== 'string' || (!allowV && version.startsWith('v'))) return undefined;
  try {
    return new SemVer(version);
  } catch {
    return undefined;
  }
}

/** A REGEX constraint's pattern compiled, or why it cannot be used. */
export type CompiledRegex = { ok: true; regex: RE2JS } | { ok: false; tooLarge: boolean; message: string };

/**
 * Compiles a regular expression in re2js, whose matching takes time proportional to the
 * program's size times the input's length: a pattern that does not compile, or compiles to
 * a program larger than MAX_REGEX_PROGRAM_SIZE (bounded repeats such as `{1,1000}` grow it
 * the most), cannot be used.
 */
export function compileRegex(pattern: string | undefined, caseInsensitive: boolean): CompiledRegex {
  if (typeof pattern !== 'string') return { ok: false, tooLarge: false, message: 'is not a string' };
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch {
    return { ok: false, tooLarge: false, message: 'does not compile as a regular expression (RE2 syntax: no backreferences or lookaround)' };
  }
  const size = regex.programSize();
  if (size > MAX_REGEX_PROGRAM_SIZE) {
    return {
      ok: false,
      tooLarge: true,
      message: `compiles to a program of ${size} instructions, over the limit of ${MAX_REGEX_PROGRAM_SIZE} (large bounded repeats such as {1,1000} cost the most: use + or a smaller bound)`,
    };
  }
  return { ok: true, regex };
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** An IP address, strictly: dotted-quad IPv4 or IPv6 (no `10.1` shorthand). */
export function parseAddress(text: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

/** A CIDR range (`10.0.0.0/8`) or a single address (its own /32 or /128); undefined when neither parses. */
export function parseRange(text: string): [Address, number] | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) {
    const address = parseAddress(text);
    return address && [address, address.kind() === 'ipv4' ? 32 : 128];
  }
  const address = parseAddress(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  return bits <= (address.kind() === 'ipv4' ? 32 : 128) ? [address, bits] : undefined;
}

/** Whether `address` lies in one of `ranges` of the same family. */
export function inRanges(address: Address, ranges: readonly [Address, number][]): boolean {
  for (const [network, bits] of ranges) {
    if (network.kind() === address.kind() && address.match(network as never, bits)) return true;
  }
  return false;
}

function inList(constraint: Constraint): ConstraintTest {
  const values = new Set(cleanValues(constraint.values));
  const field = constraint.contextName;
  if (constraint.operator === 'IN') {
    return (context) => {
      const value = contextValue(context, field);
      return value !== undefined && values.has(value);
    };
  }
  return (context) => {
    const value = contextValue(context, field);
    return value === undefined || !values.has(value);
  };
}

function stringMatch(constraint: Constraint): ConstraintTest {
  const caseInsensitive = constraint.caseInsensitive === true;
  const values = cleanValues(constraint.values).map((value) => (caseInsensitive ? value.toLocaleLowerCase() : value));
  const field = constraint.contextName;
  const test =
    constraint.operator === 'STR_STARTS_WITH'
      ? (value: string, candidate: string) => value.startsWith(candidate)
      : constraint.operator === 'STR_ENDS_WITH'
        ? (value: string, candidate: string) => value.endsWith(candidate)
        : (value: string, candidate: string) => value.includes(candidate);
  return (context) => {
    let value = contextValue(context, field);
    if (value === undefined) return false;
    if (caseInsensitive) value = value.toLocaleLowerCase();
    for (const candidate of values) if (test(value, candidate)) return true;
    return false;
  };
}

const NUMBER_COMPARISONS: Record<string, (value: number, target: number) => boolean> = {
  NUM_EQ: (value, target) => value === target,
  NUM_GT: (value, target) => value > target,
  NUM_GTE: (value, target) => value >= target,
  NUM_LT: (value, target) => value < target,
  NUM_LTE: (value, target) => value <= target,
};

function numberCompare(constraint: Constraint): ConstraintTest {
  const target = Number(constraint.value);
  if (Number.isNaN(target)) return never;
  const compare = NUMBER_COMPARISONS[constraint.operator]!;
  const field = constraint.contextName;
  return (context) => {
    const value = Number(contextValue(context, field));
    return !Number.isNaN(value) && compare(value, target);
  };
}

/** Unleash's Node SDK compares `currentTime` (now when absent), whatever the constraint's contextName. */
function dateCompare(constraint: Constraint): ConstraintTest {
  const target = new Date(constraint.value ?? '').getTime();
  if (Number.isNaN(target)) return never;
  const after = constraint.operator === 'DATE_AFTER';
  return (context) => {
    const now = context.currentTime ? new Date(context.currentTime).getTime() : clockNow();
    return after ? now > target : now < target;
  };
}

const SEMVER_COMPARISONS: Record<string, (order: number) => boolean> = {
  SEMVER_EQ: (order) => order === 0,
  SEMVER_GT: (order) => order > 0,
  SEMVER_GTE: (order) => order >= 0,
  SEMVER_LT: (order) => order < 0,
  SEMVER_LTE: (order) => order <= 0,
};

/*
 * The last context version parsed: one request evaluates many flags for the same
 * context, and a SemVer is only read (compared), so sharing it is safe.
 */
let lastVersionText: string | undefined;
let lastVersion: SemVer | undefined;

function contextSemver(text: string | undefined): SemVer | undefined {
  if (text !== lastVersionText) {
    lastVersionText = text;
    lastVersion = parseSemver(text);
  }
  return lastVersion;
}

function semverCompare(constraint: Constraint): ConstraintTest {
  const target = parseSemver(constraint.value, { allowV: true });
  if (!target) return never;
  const compare = SEMVER_COMPARISONS[constraint.operator]!;
  const field = constraint.contextName;
  return (context) => {
    const version = contextSemver(contextValue(context, field));
    return version !== undefined && compare(version.compare(target));
  };
}

/**
 * A pattern that cannot be used (it does not compile, or its program is over the limit: a
 * definition stored before the limit) never matches; nor does a value longer than
 * MAX_CONTEXT_VALUE_LENGTH, so that no match costs more than size × length allows.
 */
function regexMatch(constraint: Constraint): ConstraintTest {
  const compiled = compileRegex(constraint.value, constraint.caseInsensitive === true);
  if (!compiled.ok) return never;
  const { regex } = compiled;
  const field = constraint.contextName;
  return (context) => {
    const value = contextValue(context, field);
    return value !== undefined && value.length <= MAX_CONTEXT_VALUE_LENGTH && regex.matcher(value).find();
  };
}

function cidrMatch(constraint: Constraint): ConstraintTest {
  const ranges = cleanValues(constraint.values).flatMap((value) => {
    const range = parseRange(value);
    return range ? [range] : [];
  });
  const field = constraint.contextName;
  return (context) => {
    const value = contextValue(context, field);
    const address = value === undefined ? undefined : parseAddress(value);
    return address !== undefined && inRanges(address, ranges);
  };
}

const COMPILERS: Record<string, (constraint: Constraint) => ConstraintTest> = {
  IN: inList,
  NOT_IN: inList,
  STR_CONTAINS: stringMatch,
  STR_STARTS_WITH: stringMatch,
  STR_ENDS_WITH: stringMatch,
  NUM_EQ: numberCompare,
  NUM_GT: numberCompare,
  NUM_GTE: numberCompare,
  NUM_LT: numberCompare,
  NUM_LTE: numberCompare,
  DATE_AFTER: dateCompare,
  DATE_BEFORE: dateCompare,
  SEMVER_EQ: semverCompare,
  SEMVER_GT: semverCompare,
  SEMVER_GTE: semverCompare,
  SEMVER_LT: semverCompare,
  SEMVER_LTE: semverCompare,
  REGEX: regexMatch,
  IN_CIDR: cidrMatch,
};

/**
 * Compiles one constraint with Unleash's semantics: a value that does not parse makes the
 * operator false (then `inverted` flips it, as in Unleash's Node SDK); an unknown operator,
 * or a missing constraint, never matches, inverted or not.
 */
export function compileConstraint(constraint: Constraint | null | undefined): ConstraintTest {
  if (!constraint || typeof constraint !== 'object') return never;
  const compiler = Object.hasOwn(COMPILERS, constraint.operator) ? COMPILERS[constraint.operator] : undefined;
  if (!compiler) return never;
  const test = compiler(constraint);
  return constraint.inverted ? (context) => !test(context) : test;
}

/** All of the constraints as one test (true for none). */
export function compileConstraints(constraints: readonly (Constraint | null | undefined)[] | undefined): ConstraintTest | undefined {
  return allOf(compileEachConstraint(constraints));
}

/** Each constraint's own test, in order: what allOf joins, and what an explained evaluation runs one by one. */
export function compileEachConstraint(constraints: readonly (Constraint | null | undefined)[] | undefined): ConstraintTest[] {
  if (!constraints || constraints.length === 0) return [];
  return constraints.map(compileConstraint);
}

/** Tests as one that holds when every one does (undefined for none: nothing to check). */
export function allOf(tests: readonly ConstraintTest[]): ConstraintTest | undefined {
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (context) => {
    for (const test of tests) if (!test(context)) return false;
    return true;
  };
}
