/**
 * The command buffer lifecycle, in one place: which states each command accepts a command buffer in, the rule
 * (VUID) any other state breaks, and the front's error for it. initial -> recording (begin) -> executable
 * (end) -> pending (submit) -> executable once the submission completes, or invalid for ONE_TIME_SUBMIT; a
 * recording or executable command buffer becomes invalid when something it recorded is destroyed, freed or
 * rewritten; reset (of the buffer or its pool) returns it to initial; begin on an executable or invalid one
 * resets it implicitly, which needs a pool created with RESET_COMMAND_BUFFER. The validation layer tracks the
 * same states in its own records and reports these rules from the same functions.
 */
import { VkCommandBufferUsageFlagBits, VkCommandPoolCreateFlagBits } from '../constants.js';
import type { VuidId } from '../validation/vuids.js';
import { problemError, type RuleProblem } from './compute-rules.js';
import { describeHandle, pendingMessage } from './misuse.js';
import type { CommandBufferRecord, CommandBufferState } from './records.js';

const { VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT } = VkCommandPoolCreateFlagBits;
const { VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT } = VkCommandBufferUsageFlagBits;

const NOT_PENDING: readonly CommandBufferState[] = ['initial', 'recording', 'executable', 'invalid'];

/** The vkCmd* commands, each of which needs a recording command buffer. */
export type CmdCommand =
  | 'vkCmdBindPipeline'
  | 'vkCmdBindDescriptorSets'
  | 'vkCmdPushConstants'
  | 'vkCmdDispatch'
  | 'vkCmdPipelineBarrier'
  | 'vkCmdCopyBuffer'
  | 'vkCmdFillBuffer';

/** The commands that care about a command buffer's state, the states each accepts, and the rule. */
const STATE_RULES = {
  vkBeginCommandBuffer: {
    accepts: ['initial', 'executable', 'invalid'],
    vuid: 'VUID-vkBeginCommandBuffer-commandBuffer-00049',
  },
  vkEndCommandBuffer: { accepts: ['recording'], vuid: 'VUID-vkEndCommandBuffer-commandBuffer-00059' },
  vkQueueSubmit: { accepts: ['executable'], vuid: 'VUID-vkQueueSubmit-pCommandBuffers-00070' },
  vkResetCommandBuffer: { accepts: NOT_PENDING, vuid: 'VUID-vkResetCommandBuffer-commandBuffer-00045' },
  vkFreeCommandBuffers: { accepts: NOT_PENDING, vuid: 'VUID-vkFreeCommandBuffers-pCommandBuffers-00047' },
  vkResetCommandPool: { accepts: NOT_PENDING, vuid: 'VUID-vkResetCommandPool-commandPool-00040' },
  vkDestroyCommandPool: { accepts: NOT_PENDING, vuid: 'VUID-vkDestroyCommandPool-commandPool-00041' },
} as const satisfies Record<string, { accepts: readonly CommandBufferState[]; vuid: VuidId }>;

export type LifecycleCommand = keyof typeof STATE_RULES | CmdCommand;

/** What to do instead, by the state the command buffer is in. */
function advice(commandBuffer: CommandBufferRecord, command: LifecycleCommand): string {
  switch (commandBuffer.state) {
    case 'initial':
      return command === 'vkQueueSubmit'
        ? 'is in the initial state: nothing has been recorded (beginCommandBuffer, the commands, endCommandBuffer)'
        : 'is in the initial state, not recording: call beginCommandBuffer first';
    case 'recording':
      return command === 'vkBeginCommandBuffer'
        ? 'is already recording: call endCommandBuffer first'
        : 'is still recording: call endCommandBuffer first';
    case 'executable':
      return 'is executable, not recording: call beginCommandBuffer to record it again';
    case 'invalid':
      return `is invalid: ${commandBuffer.invalidReason}; record it again (beginCommandBuffer)`;
    case 'pending':
      return 'is pending';
  }
}

function canResetAlone(commandBuffer: CommandBufferRecord): boolean {
  return (commandBuffer.parent.flags & VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT) !== 0;
}

/** A ONE_TIME_SUBMIT command buffer submitted since it was last recorded. */
function spentOneTimeSubmit(commandBuffer: CommandBufferRecord): boolean {
  return (
    (commandBuffer.usageFlags & VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT) !== 0 && commandBuffer.submitCount > 0
  );
}

/**
 * The rules `command` breaks given the command buffer's state, in the front's order. For vkQueueSubmit,
 * `twiceInCall` says the command buffer is listed earlier in the same call.
 */
export function commandBufferStateProblems(
  commandBuffer: CommandBufferRecord,
  command: LifecycleCommand,
  argument: string,
  twiceInCall = false,
): RuleProblem[] {
  const name = describeHandle(commandBuffer.object);
  const state = commandBuffer.state;
  const problem = (vuid: VuidId, message: string): RuleProblem => ({ vuid, argument, kind: 'state', message });
  const pending = () => pendingMessage(name, commandBuffer.submission!);
  if (command === 'vkQueueSubmit') {
    // The Khronos layer counts submissions of a ONE_TIME_SUBMIT command buffer (the specification words it
    // as the invalid state, which a later recording leaves).
    const problems: RuleProblem[] = [];
    const oneTime = (commandBuffer.usageFlags & VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT) !== 0;
    const spent = spentOneTimeSubmit(commandBuffer);
    if (state === 'pending') problems.push(problem('VUID-vkQueueSubmit-pCommandBuffers-00071', pending()));
    else if (twiceInCall) {
      problems.push(
        problem(
          'VUID-vkQueueSubmit-pCommandBuffers-00071',
          `${name} is submitted twice in this call; a command buffer can be pending in one submission at a time`,
        ),
      );
    }
    if (spent || (twiceInCall && oneTime)) {
      problems.push(
        problem(
          'UNASSIGNED-DrawState-CommandBufferSingleSubmitViolation',
          state === 'invalid'
            ? `${name} ${advice(commandBuffer, command)}`
            : `${name} was recorded with ONE_TIME_SUBMIT and is submitted again; record it again (beginCommandBuffer) for each submission`,
        ),
      );
    }
    if (state !== 'executable' && state !== 'pending' && !twiceInCall && !(state === 'invalid' && spent))
      problems.push(problem('VUID-vkQueueSubmit-pCommandBuffers-00070', `${name} ${advice(commandBuffer, command)}`));
    return problems;
  }
  if (command.startsWith('vkCmd')) {
    if (state === 'recording') return [];
    const vuid = `VUID-${command}-commandBuffer-recording` as VuidId;
    return [problem(vuid, state === 'pending' ? pending() : `${name} ${advice(commandBuffer, command)}`)];
  }
  const rule = STATE_RULES[command as keyof typeof STATE_RULES];
  const problems: RuleProblem[] = [];
  if (!(rule.accepts as readonly CommandBufferState[]).includes(state)) {
    problems.push(problem(rule.vuid, state === 'pending' ? pending() : `${name} ${advice(commandBuffer, command)}`));
  } else if (command === 'vkBeginCommandBuffer' && state !== 'initial' && !canResetAlone(commandBuffer)) {
    problems.push(
      problem(
        'VUID-vkBeginCommandBuffer-commandBuffer-00050',
        `${name} is ${state}, and beginning it again resets it, which ${describeHandle(commandBuffer.parent.object)} (created without VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT) does not allow; reset the pool with resetCommandPool instead`,
      ),
    );
  }
  return problems;
}

/** Throws unless `command` accepts the command buffer's state (and, for a begin that resets, its pool allows it). */
export function requireCommandBufferState(
  commandBuffer: CommandBufferRecord,
  command: LifecycleCommand,
  argument: string,
): void {
  const [first] = commandBufferStateProblems(commandBuffer, command, argument);
  if (first) throw problemError(first);
}

/** vkResetCommandBuffer needs a pool created with RESET_COMMAND_BUFFER. */
export function resettableProblem(commandBuffer: CommandBufferRecord, argument: string): RuleProblem | undefined {
  if (canResetAlone(commandBuffer)) return undefined;
  return {
    vuid: 'VUID-vkResetCommandBuffer-commandBuffer-00046',
    argument,
    kind: 'argument',
    message: `${describeHandle(commandBuffer.object)} was allocated from ${describeHandle(commandBuffer.parent.object)}, created without VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT; reset the pool with resetCommandPool instead`,
  };
}
