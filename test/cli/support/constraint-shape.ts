/*
 * The CLI keeps its own copy of the Constraint shape (packages/cli/model.ts)
 * rather than importing the one home, @flagship/evaluation: its public types
 * (FlagFile, through index.d.ts) reach Constraint, so even a type-only import
 * would make @flagship/evaluation (and its ipaddr.js, murmurhash, re2js) part
 * of the CLI's install, which holds nothing it does not run. This file lets
 * `tsc --noEmit -p .` catch the two drifting apart: it fails to compile unless
 * each is assignable to the other.
 */
import type { Constraint as EvaluationConstraint } from '@flagship/evaluation';
import type { Constraint as CliConstraint } from '../../../packages/cli/model.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const CONSTRAINT_SHAPES_AGREE: Same<CliConstraint, EvaluationConstraint> = true;
