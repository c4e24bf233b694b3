/** Exit codes: 0 success (plan: no change), 1 an error, 2 plan found changes, 3 apply opened change requests (not applied yet). */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;
export const EXIT_PROPOSED = 3;

/** An error the CLI explains in one message and exits 1 for (never a stack trace). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_ERROR) {
    super(message);
    this.name = 'CliError';
  }
}

/** The API answered with an error: its status, code and message, and the details naming the field. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly details?: unknown,
  ) {
    super(`${apiMessage} (HTTP ${status}${code ? ` ${code}` : ''})${formatDetails(details)}`);
    this.name = 'ApiError';
  }
}

function formatDetails(details: unknown): string {
  if (!Array.isArray(details)) return '';
  const lines = details
    .map((issue: { path?: unknown[]; message?: string }) => {
      const path = Array.isArray(issue.path) && issue.path.length > 0 ? issue.path.join('.') : '';
      return issue.message ? `  ${path ? `${path}: ` : ''}${issue.message}` : '';
    })
    .filter(Boolean);
  return lines.length > 0 ? `\n${lines.join('\n')}` : '';
}
