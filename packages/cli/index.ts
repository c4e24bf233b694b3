/**
 * @flagship/cli as a library: run the CLI in-process (`run(argv, io)` resolves
 * with the exit code) or use its parts (plans, code references).
 */
export { run, buildProgram } from './program.js';
export { processIo, type CliIo } from './io.js';
export { makePlan, formatPlan, changeCount, type Plan } from './plan.js';
export { applyPlan, type ApplyResult } from './apply.js';
export { parseFlagFile, flagFileOf, flagFileToYaml, type FlagFile } from './flag-file.js';
export { findCodeReferences, referencesIn, codeRefsReport, type CodeReference, type CodeRefsReport } from './code-refs.js';
export { waitForRelay, type EnvironmentRelay } from './wait.js';
export { ApiClient } from './api-client.js';
export { CliError, ApiError, EXIT_OK, EXIT_ERROR, EXIT_CHANGES, EXIT_PROPOSED } from './errors.js';
