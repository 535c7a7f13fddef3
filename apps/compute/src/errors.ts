/**
 * The two ways the app stops on purpose: a bad command line (`UsageError`: one line, then the usage, exit 2)
 * and a run that cannot go on (`AppError`: one line, exit 1), such as a backend that is not installed.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

export class AppError extends Error {
  override name = 'AppError';
}
