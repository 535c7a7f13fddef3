import { ValidationError, type ValidationFailure } from '../errors.js';
import type { ValidationLayerOptions, ValidationReport } from '../validation-options.js';
import { vuidEntry, vuidUrl, type VuidId } from './vuids.js';

/** A host address as the layer prints it. */
export function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/** A byte count or offset as the layer prints it. */
export function bytes(value: bigint): string {
  return value === 1n ? '1 byte' : `${value} bytes`;
}

/**
 * The failures of one call, gathered while its rules are checked. One instance per layer is reused for
 * every call, so a call that breaks nothing allocates nothing here.
 */
export class FailureList {
  private readonly items: ValidationFailure[] = [];
  private withKhrAliases = false;

  /** Starts a call; `khrEntryPoint` is true when it came through a *KHR alias. */
  begin(khrEntryPoint: boolean, reportKhrAliases: boolean): void {
    // Truncating an empty array is not free; most calls find it empty.
    if (this.items.length !== 0) this.items.length = 0;
    this.withKhrAliases = khrEntryPoint && reportKhrAliases;
  }

  add(vuid: VuidId, message: string): void {
    const url = vuidUrl(vuid);
    this.items.push({ vuid, message, url });
    if (this.withKhrAliases) {
      for (const alias of vuidEntry(vuid).khrAliases) this.items.push({ vuid: alias, message, url });
    }
  }

  get isEmpty(): boolean {
    return this.items.length === 0;
  }

  /** The failures of the call, one per rule (the first message of a rule found twice is kept). */
  take(): ValidationFailure[] {
    const seen = new Set<string>();
    const unique: ValidationFailure[] = [];
    for (const failure of this.items) {
      if (seen.has(failure.vuid)) continue;
      seen.add(failure.vuid);
      unique.push(failure);
    }
    this.items.length = 0;
    return unique;
  }
}

/**
 * Delivers a failing call: throws `ValidationError` in 'throw' mode; in 'report' mode hands a
 * `ValidationReport` to the callback, dropping identical reports past `duplicateLimit`.
 */
export class Reporter {
  private readonly mode: 'throw' | 'report';
  private readonly onReport: ((report: ValidationReport) => void) | undefined;
  private readonly duplicateLimit: number;
  private readonly seenCounts = new Map<string, number>();

  constructor(options: ValidationLayerOptions) {
    this.mode = options.mode ?? 'throw';
    this.onReport = options.onReport;
    this.duplicateLimit = options.duplicateLimit ?? 10;
  }

  deliver(command: string, failures: readonly ValidationFailure[]): void {
    if (this.mode === 'throw') throw new ValidationError(command, failures);
    const key = `${command}|${failures
      .map((f) => f.vuid)
      .sort()
      .join(',')}`;
    const count = (this.seenCounts.get(key) ?? 0) + 1;
    this.seenCounts.set(key, count);
    if (count > this.duplicateLimit) return;
    this.onReport?.({ command, failures });
  }
}
