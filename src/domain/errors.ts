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
  // HTTP-facing codes (src/http); exit codes matter only if a command ever reports one.
  BAD_REQUEST: { exit: 2, http: 400, text: 'the request is not valid' },
  UNAUTHORIZED: { exit: 2, http: 401, text: 'authentication is required' },
  FORBIDDEN: { exit: 2, http: 403, text: 'the request is not allowed' },
  NOT_FOUND: { exit: 2, http: 404, text: 'not found' },
  TOO_LARGE: { exit: 2, http: 413, text: 'the upload is too large' },
  UNSUPPORTED_MEDIA_TYPE: { exit: 2, http: 415, text: 'the content type is not supported' },
  UPLOAD_REJECTED: { exit: 2, http: 422, text: 'the upload was rejected; nothing was applied' },
  RATE_LIMITED: { exit: 2, http: 429, text: 'too many attempts; try again later' },
  INTERNAL: { exit: 1, http: 500, text: 'internal error' },
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
