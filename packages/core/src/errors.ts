import { VkResult, vkResultName, type VkResultName } from './vk-result.js';

/**
 * The brand of each vkmap error class, on its prototype. `Symbol.for` gives every copy of @vkmap/core in a
 * process the same key (two installed versions, or the CommonJS and ES module builds loaded side by side),
 * so an error thrown by one copy is recognised by the classes of another.
 */
const ERROR_KIND = Symbol.for('vkmap.error.kind');

type ErrorClass<T> = abstract new (...args: never[]) => T;

function kindOf(errorClass: object): string | undefined {
  const prototype = (errorClass as { prototype?: unknown }).prototype;
  if (typeof prototype !== 'object' || prototype === null || !Object.hasOwn(prototype, ERROR_KIND)) return undefined;
  return (prototype as Record<symbol, unknown>)[ERROR_KIND] as string;
}

function hasKind(value: unknown, kind: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (let prototype = Object.getPrototypeOf(value); prototype !== null; prototype = Object.getPrototypeOf(prototype)) {
    if (Object.hasOwn(prototype, ERROR_KIND) && prototype[ERROR_KIND] === kind) return true;
  }
  return false;
}

function brand(errorClass: ErrorClass<Error>, kind: string): void {
  Object.defineProperty(errorClass.prototype, ERROR_KIND, { value: kind });
}

/**
 * Base class of every error vkmap throws on purpose.
 *
 * `instanceof` works across copies of @vkmap/core: `error instanceof VkError` is true for a `VkError` of
 * any copy, or of a subclass of one. Subclasses defined outside @vkmap/core match their own class by
 * ordinary prototype identity.
 */
export class VkmapError extends Error {
  override name = 'VkmapError';

  static override [Symbol.hasInstance]<T>(this: ErrorClass<T>, value: unknown): value is T {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const kind = kindOf(this);
    return kind !== undefined && hasKind(value, kind);
  }
}

/**
 * A command failed with a `VkResult` error code, as a driver (or the emulator acting as one) reports it.
 * `result` is the registry name and `code` its numeric value.
 */
export class VkError extends VkmapError {
  override name = 'VkError';
  readonly result: string;
  readonly code: number;
  readonly command: string;

  constructor(command: string, result: VkResultName | number, detail?: string) {
    const code = typeof result === 'number' ? result : VkResult[result];
    const resultName = vkResultName(code);
    super(`${command} failed with ${resultName} (${code})${detail ? `: ${detail}` : ''}`);
    this.result = resultName;
    this.code = code;
    this.command = command;
  }
}

/** An argument that cannot be used at all: wrong type, negative, fractional, out of range. */
export class VkmapArgumentError extends VkmapError {
  override name = 'VkmapArgumentError';
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.argument = argument;
  }
}

/**
 * A call on something that no longer exists or was never valid here: a freed memory object, a destroyed
 * device, a view of a mapping that has ended, a command that the device does not provide.
 */
export class VkmapStateError extends VkmapError {
  override name = 'VkmapStateError';
  /** The argument that names the object in the wrong state (`pMemoryMapInfo.memory`), where one does. */
  readonly argument: string | undefined;

  constructor(message: string, argument?: string) {
    super(argument === undefined ? message : `${argument}: ${message}`);
    this.argument = argument;
  }
}

/** One valid-usage rule that a call broke. */
export interface ValidationFailure {
  readonly vuid: string;
  readonly message: string;
  /** Link to the rule in the Vulkan specification. */
  readonly url: string;
}

/**
 * Misuse found by the validation layer: a call that breaks one or more valid-usage rules. The call was
 * not forwarded to the backend, so nothing changed. `vuids` holds every rule the call broke.
 */
export class ValidationError extends VkmapError {
  override name = 'ValidationError';
  readonly command: string;
  readonly failures: readonly ValidationFailure[];

  constructor(command: string, failures: readonly ValidationFailure[]) {
    super(
      `${command} breaks ${failures.length} valid-usage rule${failures.length === 1 ? '' : 's'}:\n` +
        failures.map((f) => `  [${f.vuid}] ${f.message}\n    ${f.url}`).join('\n'),
    );
    this.command = command;
    this.failures = failures;
  }

  get vuids(): ReadonlySet<string> {
    return new Set(this.failures.map((f) => f.vuid));
  }
}

brand(VkmapError, 'VkmapError');
brand(VkError, 'VkError');
brand(VkmapArgumentError, 'VkmapArgumentError');
brand(VkmapStateError, 'VkmapStateError');
brand(ValidationError, 'ValidationError');

/** Whether `value` is a `VkmapError` of any copy of @vkmap/core: the same test as `instanceof VkmapError`. */
export function isVkmapError(value: unknown): value is VkmapError {
  return value instanceof VkmapError;
}

/** Whether `value` is a `VkError` of any copy of @vkmap/core: the same test as `instanceof VkError`. */
export function isVkError(value: unknown): value is VkError {
  return value instanceof VkError;
}

/** Whether `value` is a `ValidationError` of any copy of @vkmap/core: the same test as `instanceof ValidationError`. */
export function isValidationError(value: unknown): value is ValidationError {
  return value instanceof ValidationError;
}
