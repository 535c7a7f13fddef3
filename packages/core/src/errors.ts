import { VkResult, vkResultName, type VkResultName } from './vk-result.js';

/** Base class of every error vkmap throws on purpose. */
export class VkmapError extends Error {
  override name = 'VkmapError';
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
