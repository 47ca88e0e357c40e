/**
 * Expected failures (bad input, bad config, a missing file) are UserErrors: they reach the user as
 * one clear message. Anything else is a bug and is reported with its stack.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: { exit: 2, http: 500, text: 'the configuration is not valid' },
  USAGE: { exit: 2, http: 400, text: 'the command line is not valid' },
  UNKNOWN_FORMAT: { exit: 2, http: 400, text: 'unknown input format' },
  FILE_NOT_FOUND: { exit: 2, http: 404, text: 'file not found' },
  DATABASE_UNAVAILABLE: { exit: 3, http: 503, text: 'the database cannot be opened' },
  SCANNER_UNAVAILABLE: { exit: 3, http: 503, text: 'the scanner cannot be reached' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class UserError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'UserError';
    this.code = code;
  }
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
