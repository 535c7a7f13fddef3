/** Prefixes an error's message with where in a combined test it happened (a case, a seed and step). */
export function withContext<T>(context: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof Error && !error.message.startsWith(`[${context}]`)) {
      error.message = `[${context}] ${error.message}`;
    }
    throw error;
  }
}

/** Calls `body` and returns what it threw; fails when it returns normally. */
export function captureThrow(body: () => unknown, what: string): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  throw new Error(`${what} was expected to throw, but it returned normally`);
}
