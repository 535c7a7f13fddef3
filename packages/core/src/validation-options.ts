import type { ValidationFailure } from './errors.js';

/** One call that broke valid-usage rules: every rule it broke, for one command. */
export interface ValidationReport {
  readonly command: string;
  readonly failures: readonly ValidationFailure[];
}

export interface ValidationLayerOptions {
  /**
   * 'throw' (default): a failing call throws `ValidationError` and is not forwarded.
   * 'report': a failing call is given to `onReport` (like a debug messenger) and is not forwarded; a call
   * that returns nothing (free, unmap, flush, invalidate) then returns as a no-op would, and one that must
   * return an object (allocateMemory, mapMemory, mapMemory2) throws the `ValidationError` too, having nothing
   * to return. Use it to collect every problem of a run.
   */
  readonly mode?: 'throw' | 'report';
  readonly onReport?: (report: ValidationReport) => void;
  /** In 'report' mode, identical reports (same command and VUID set) past this count are dropped. Default 10. */
  readonly duplicateLimit?: number;
  /** Also name each rule by its pre-1.4 KHR spelling (VUID-vkMapMemory2KHR-...), when it has one. */
  readonly reportKhrAliases?: boolean;
}
