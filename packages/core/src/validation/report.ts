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

/** A failure as the rules record it: the rule, and what the checked front needs to name the misuse. */
export interface RuleFailure extends ValidationFailure {
  /** The argument is well formed but names an object in the wrong state (freed, of another device, ...). */
  readonly state: boolean;
  /** Which element of an array argument the failure is about (pMemoryRanges[element]). */
  readonly element: number | undefined;
}

/** The failures of a call, set aside while a nested call runs. */
export interface SuspendedFailures {
  readonly items: readonly RuleFailure[];
  readonly withKhrAliases: boolean;
  readonly element: number | undefined;
}

/**
 * The failures of one call, gathered while its rules are checked. One instance per layer (and per front
 * device) is reused for every call, so a call that breaks nothing allocates nothing here.
 */
export class FailureList {
  private readonly items: RuleFailure[] = [];
  private withKhrAliases = false;
  /** The element of an array argument being checked; rules over arrays set it. */
  element: number | undefined = undefined;

  /** Starts a call; `khrEntryPoint` is true when it came through a *KHR alias. */
  begin(khrEntryPoint: boolean, reportKhrAliases: boolean): void {
    // Truncating an empty array is not free; most calls find it empty.
    if (this.items.length !== 0) this.items.length = 0;
    this.withKhrAliases = khrEntryPoint && reportKhrAliases;
    this.element = undefined;
  }

  /** Records a broken rule; `kind` 'state' when the argument names an object in the wrong state. */
  add(vuid: VuidId, message: string, kind?: 'state'): void {
    const url = vuidUrl(vuid);
    const state = kind === 'state';
    const element = this.element;
    this.items.push({ vuid, message, url, state, element });
    if (this.withKhrAliases) {
      for (const alias of vuidEntry(vuid).khrAliases) this.items.push({ vuid: alias, message, url, state, element });
    }
  }

  /**
   * Sets the failures found so far aside while code of the application runs in the middle of a call's checks
   * (a shader reflector): it may call the device again, and that call begins and takes its own failures.
   */
  suspend(): SuspendedFailures {
    return { items: this.items.splice(0), withKhrAliases: this.withKhrAliases, element: this.element };
  }

  /** Puts back what `suspend` set aside, dropping whatever a nested call left. */
  resume(suspended: SuspendedFailures): void {
    this.items.length = 0;
    for (const item of suspended.items) this.items.push(item);
    this.withKhrAliases = suspended.withKhrAliases;
    this.element = suspended.element;
  }

  get isEmpty(): boolean {
    return this.items.length === 0;
  }

  /** The failures of the call in the order found, with what the front needs; empties the list. */
  takeRuleFailures(): RuleFailure[] {
    const items = this.items.slice();
    this.items.length = 0;
    return items;
  }

  /** The failures of the call, one per rule (the first message of a rule found twice is kept). */
  take(): ValidationFailure[] {
    const seen = new Set<string>();
    const unique: ValidationFailure[] = [];
    for (const { vuid, message, url } of this.items) {
      if (seen.has(vuid)) continue;
      seen.add(vuid);
      unique.push({ vuid, message, url });
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

  /** Throws in 'throw' mode; in 'report' mode reports and returns (the caller skips the call, or for a warning forwards it). */
  deliver(command: string, failures: readonly ValidationFailure[], severity: 'error' | 'warning' = 'error'): void {
    if (this.mode === 'throw') throw new ValidationError(command, failures);
    const key = `${command}|${severity}|${failures
      .map((f) => f.vuid)
      .sort()
      .join(',')}`;
    const count = (this.seenCounts.get(key) ?? 0) + 1;
    this.seenCounts.set(key, count);
    if (count > this.duplicateLimit) return;
    this.onReport?.({ command, severity, failures });
  }
}
