import {
  COMMAND_ERROR_RESULTS,
  FAULTABLE_COMMANDS,
  isVkResultName,
  VkError,
  VkmapArgumentError,
  type FaultableCommand,
  type FaultTarget,
  type VkResultName,
} from '@vkmap/core';
import { SeededRandom } from './rng.js';

export type { FaultableCommand, FaultTarget };

export interface NthCallFault {
  readonly target: FaultTarget;
  /** Fail the nth matching call from now on (1 = the next one). */
  readonly nth: number;
  readonly result: VkResultName;
  /** How many consecutive calls fail starting at the nth (default 1). */
  readonly count?: number;
}

export interface RandomFault {
  readonly target: FaultTarget;
  /** Share of matching calls that fail, in [0, 1]. */
  readonly probability: number;
  readonly result: VkResultName;
}

interface ArmedFault {
  readonly commands: ReadonlySet<FaultableCommand>;
  readonly result: VkResultName;
  readonly decide: () => boolean;
}

/** Each target's commands: every faultable command of the command table, and the two groups. */
const GROUPS = {
  allocate: ['vkAllocateMemory'],
  map: ['vkMapMemory', 'vkMapMemory2'],
  ...Object.fromEntries(FAULTABLE_COMMANDS.map((command) => [command, [command]])),
} as unknown as Record<FaultTarget, readonly FaultableCommand[]>;

/**
 * Deterministic driver faults: the nth call, or a seeded random share of calls, of a command fails with a
 * chosen result. The device asks `check` before it changes any state, so a failed call leaves state and
 * data as they were. Heap budgets can be shrunk to make allocation fail by exhaustion.
 */
export class FaultInjector {
  private readonly random: SeededRandom;
  private armed: ArmedFault[] = [];
  private readonly heapBudgetLimits = new Map<number, bigint>();
  private readonly heapCount: number;
  /** Calls of each command seen so far, for tests that want to know. */
  readonly callCounts = new Map<FaultableCommand, number>();

  constructor(seed: number, heapCount: number) {
    this.random = new SeededRandom(seed);
    this.heapCount = heapCount;
  }

  failNthCall(fault: NthCallFault): void {
    const commands = this.commandsOf(fault.target, fault.result);
    if (!Number.isInteger(fault.nth) || fault.nth < 1) {
      throw new VkmapArgumentError('nth', `must be a positive integer, 1 for the next call (got ${fault.nth})`);
    }
    const count = fault.count ?? 1;
    if (!Number.isInteger(count) || count < 1) {
      throw new VkmapArgumentError('count', `must be a positive integer (got ${count})`);
    }
    let seen = 0;
    this.armed.push({
      commands,
      result: fault.result,
      decide: () => {
        seen += 1;
        return seen >= fault.nth && seen < fault.nth + count;
      },
    });
  }

  failRandomly(fault: RandomFault): void {
    const commands = this.commandsOf(fault.target, fault.result);
    if (!(fault.probability >= 0 && fault.probability <= 1)) {
      throw new VkmapArgumentError('probability', `must be within [0, 1] (got ${fault.probability})`);
    }
    this.armed.push({ commands, result: fault.result, decide: () => this.random.next() < fault.probability });
  }

  /** Caps a heap's budget: allocations that would take its usage past `bytes` fail with OUT_OF_DEVICE_MEMORY. */
  setHeapBudget(heapIndex: number, bytes: bigint): void {
    if (!Number.isInteger(heapIndex) || heapIndex < 0 || heapIndex >= this.heapCount) {
      throw new VkmapArgumentError('heapIndex', `must name one of the ${this.heapCount} heaps (got ${heapIndex})`);
    }
    if (typeof bytes !== 'bigint' || bytes < 0n) {
      throw new VkmapArgumentError('bytes', `must be a non-negative bigint (got ${String(bytes)})`);
    }
    this.heapBudgetLimits.set(heapIndex, bytes);
  }

  heapBudgetLimit(heapIndex: number): bigint | undefined {
    return this.heapBudgetLimits.get(heapIndex);
  }

  /** Disarms every fault and budget cap. */
  clear(): void {
    this.armed = [];
    this.heapBudgetLimits.clear();
  }

  /** Called once per command call, before any state changes: throws the injected failure, if any. */
  fail(command: FaultableCommand): void {
    const result = this.check(command);
    if (result) throw new VkError(command, result, 'injected fault');
  }

  /** Called once per command call, before any state changes: the result to fail with, if any. */
  check(command: FaultableCommand): VkResultName | undefined {
    this.callCounts.set(command, (this.callCounts.get(command) ?? 0) + 1);
    let failure: VkResultName | undefined;
    for (const fault of this.armed) {
      // Every armed fault sees every call it matches, so counts and random streams stay reproducible.
      if (fault.commands.has(command) && fault.decide() && failure === undefined) failure = fault.result;
    }
    return failure;
  }

  private commandsOf(target: FaultTarget, result: VkResultName): ReadonlySet<FaultableCommand> {
    const commands = GROUPS[target];
    if (!commands) {
      throw new VkmapArgumentError(
        'target',
        `must be one of ${Object.keys(GROUPS).join(', ')} (got ${String(target)})`,
      );
    }
    if (!isVkResultName(result))
      throw new VkmapArgumentError('result', `is not a VkResult name (got ${String(result)})`);
    for (const command of commands) {
      const allowed: readonly string[] = COMMAND_ERROR_RESULTS[command];
      if (!allowed.includes(result)) {
        throw new VkmapArgumentError(
          'result',
          `${command} never returns ${result}; it may return ${allowed.join(', ')}`,
        );
      }
    }
    return new Set(commands);
  }
}
