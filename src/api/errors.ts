// Errors the API reports, with Alibaba Cloud IMM's error codes so clients can switch on them.
export const ErrorCodes = [
  'InvalidArgument',
  'MissingParameter',
  'ResourceNotFound',
  'ResourceAlreadyExists',
  'OperationConflict',
  'LimitExceeded',
  'InvalidAccessKeyId',
  'AccessDenied',
  'Throttling',
  'ServiceUnavailable',
  'InternalError',
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

/** HTTP status for requests that fail as a whole (outside GraphQL's 200-with-errors). */
export const httpStatusOf: Record<ErrorCode, number> = {
  InvalidArgument: 400,
  MissingParameter: 400,
  ResourceNotFound: 404,
  ResourceAlreadyExists: 409,
  OperationConflict: 409,
  LimitExceeded: 413,
  InvalidAccessKeyId: 401,
  AccessDenied: 403,
  Throttling: 429,
  ServiceUnavailable: 503,
  InternalError: 500,
};

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra, safe-to-show facts (the offending field, a limit). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const invalidArgument = (message: string, field?: string) => new ApiError('InvalidArgument', message, field ? { field } : {});
export const missingParameter = (field: string) => new ApiError('MissingParameter', `${field} is required.`, { field });
export const notFound = (message: string) => new ApiError('ResourceNotFound', message);
export const projectNotFound = (name: string) => notFound(`Project "${name}" does not exist.`);

/** The row a lookup found, or the error `missing` makes when it found none. */
export function found<T>(row: T | null | undefined, missing: () => ApiError): T {
  if (row === null || row === undefined) throw missing();
  return row;
}
export const alreadyExists = (message: string) => new ApiError('ResourceAlreadyExists', message);
