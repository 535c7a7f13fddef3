/**
 * The one wording of misuse. The front checks a call with the same rules as the validation layer; a rule
 * the call broke becomes a `VkmapArgumentError` (a malformed argument) or a `VkmapStateError` (a handle or
 * object in the wrong state) naming the argument by its Vulkan parameter path (`pMemoryMapInfo.memory`,
 * `pMemoryRanges[2].offset`) and the rule, or the `VkError` the command table gives for it.
 */
import { commandFacts, frontAnswer, handleParameterOf } from '../commands.js';
import { describeValue } from '../device-size.js';
import { VkError, VkmapArgumentError, VkmapStateError, type VkmapError } from '../errors.js';
import type { RuleFailure } from '../validation/report.js';
import type { MemoryProblem, ObjectType, PendingWork } from '../handle-table.js';

/**
 * The argument a rule is about, by its Vulkan parameter path: a command's parameter (`offset`), a member
 * of the structure a parameter points to (`pMemoryMapInfo.flags`, `pMemoryRanges[1].size`), or a member of
 * a chained structure (`VkMemoryMapPlacedInfoEXT.pPlacedAddress`).
 */
export function argumentOf(command: string, vuid: string, element: number | undefined): string {
  const [, scope = '', parameter = ''] = vuid.split('-');
  if (scope.startsWith('vk')) return parameter;
  const path = commandFacts(command)?.structures[scope] ?? scope;
  return `${path.replace('[]', element === undefined ? '' : `[${element}]`)}.${parameter}`;
}

/** A message that starts with a member of the argument ("pAllocateInfo.memoryTypeIndex 9 ...") names it more precisely. */
function preciseArgument(argument: string, message: string): string {
  const first = /^[\w.[\]]+/.exec(message)?.[0];
  return first !== undefined && (first.startsWith(`${argument}.`) || first.startsWith(`${argument}[`))
    ? first
    : argument;
}

/** The rule's message without the argument it starts with, which the error names already. */
function detailOf(message: string, argument: string): string {
  if (!message.startsWith(argument) || /[\w.[]/.test(message.charAt(argument.length))) return message;
  const rest = message.slice(argument.length).trimStart();
  // "pMemoryMapInfo.memory (VkDeviceMemory 0x1) has been freed" -> "VkDeviceMemory 0x1 has been freed".
  const parenthesised = /^\(([^()]*)\)(.*)$/.exec(rest);
  return parenthesised ? `${parenthesised[1]}${parenthesised[2]}` : rest;
}

/**
 * The first failure of a call that the front refuses (or answers with a result), as the error to throw;
 * undefined when every failure is one the front leaves to the validation layer.
 */
export function misuseOf(command: string, failures: readonly RuleFailure[]): VkmapError | undefined {
  for (const failure of failures) {
    const answer = frontAnswer(command, failure.vuid);
    if (answer === 'layer') continue;
    if (answer !== undefined && answer !== 'state')
      return new VkError(command, answer, `${failure.message} (${failure.vuid})`);
    const argument = preciseArgument(argumentOf(command, failure.vuid, failure.element), failure.message);
    const detail = `${detailOf(failure.message, argument)} (${failure.vuid})`;
    return answer === 'state' || failure.state
      ? new VkmapStateError(detail, argument)
      : new VkmapArgumentError(argument, detail);
  }
  return undefined;
}

/** A handle argument that names no live memory object of the device, outside the rules (a backend's own extras). */
export function memoryArgumentError(argument: string, problem: MemoryProblem, message: string): VkmapError {
  const detail = detailOf(message, argument);
  return problem === 'not-a-handle' ? new VkmapArgumentError(argument, detail) : new VkmapStateError(detail, argument);
}

/** A call on a destroyed device (or through a destroyed parent), for what is not a command of the table. */
export function destroyedError(what: string, object: 'device' | 'instance'): VkmapStateError {
  return new VkmapStateError(`the ${object} has been destroyed; no command may be called on it (${what})`, object);
}

// ---- the compute chapters ---------------------------------------------------------------------------
// Their rules are functions that return the VUIDs a call breaks (compute-rules.ts, command-buffer-state.ts),
// shared with the validation layer; where a check has no VUID (an argument of the wrong kind), the front throws
// these errors directly, with the same wording: the argument by its parameter path, then the rule.

/** A handle as messages name it: `VkBuffer 0x3`. */
export function describeHandle(value: { readonly objectType?: unknown; readonly handle?: unknown }): string {
  const type = typeof value.objectType === 'string' ? value.objectType : 'handle';
  return typeof value.handle === 'bigint' ? `${type} 0x${value.handle.toString(16)}` : `${type} (no handle value)`;
}

/** A command of the compute chapters called on a destroyed device. */
export function destroyedDeviceError(command: string): VkmapStateError {
  const parameter = handleParameterOf(command);
  return new VkmapStateError(
    `the device has been destroyed; no command may be called on it (VUID-${command}-${parameter}-parameter)`,
    parameter,
  );
}

/** Sets and command buffers are freed; everything else is destroyed. */
function endedVerb(type: ObjectType): string {
  return type === 'VkDescriptorSet' || type === 'VkCommandBuffer' ? 'freed' : 'destroyed';
}

/** A handle argument that names no live object of the device: why, as the error to throw. */
export function handleError(argument: string, problem: MemoryProblem, type: ObjectType, value: unknown): VkmapError {
  switch (problem) {
    case 'freed':
      return new VkmapStateError(`${describeHandle(value as object)} has been ${endedVerb(type)}`, argument);
    case 'other-device':
      return new VkmapStateError(
        `${describeHandle(value as object)} belongs to another device, not this one`,
        argument,
      );
    default:
      return new VkmapArgumentError(argument, `is ${describeValue(value)}, not a ${type} handle`);
  }
}

/** What to say of an object that pending GPU work still uses, named by `what`. */
export function pendingMessage(what: string, work: PendingWork): string {
  return `${what} is in use by ${work.description}; wait for its fence (waitForFences, waitForFencesAsync, getFenceStatus), or call queueWaitIdle or deviceWaitIdle, first`;
}

/** An object that pending GPU work still uses, named by `what`. */
export function pendingError(argument: string, what: string, work: PendingWork): VkmapStateError {
  return new VkmapStateError(pendingMessage(what, work), argument);
}
