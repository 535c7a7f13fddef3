/**
 * Rules shared by several commands: handle validity, sType and pNext chains, flag bits.
 */
import { VK_WHOLE_SIZE } from '../constants.js';
import { describeValue, toDeviceSize } from '../device-size.js';
import type { FailureList } from './report.js';
import type { DeviceFacts, HandleTable, MemoryProblem, MemoryRecord } from '../handle-table.js';
import { MAX_CHAIN_LENGTH } from '../structures/chain.js';
import type { VuidId } from './vuids.js';

/** What one call's checks read and write. */
export interface CallContext {
  readonly state: HandleTable;
  readonly failures: FailureList;
}

export function describeMemory(memory: { readonly handle?: unknown }): string {
  const handle = memory.handle;
  return typeof handle === 'bigint' ? `VkDeviceMemory 0x${handle.toString(16)}` : 'VkDeviceMemory (no handle value)';
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Resolves a memory argument to this device's record, or reports why it is not one: under `parentVuid`
 * when it is live on another validated device (a valid handle, so not the `-parameter` rule; for the
 * structures this is the Khronos layer's unassigned identifier), under the `-parameter` rule otherwise.
 */
export function checkMemoryHandle(
  ctx: CallContext,
  memory: unknown,
  where: string,
  parameterVuid: VuidId,
  parentVuid: VuidId,
): MemoryRecord | undefined {
  const found = ctx.state.lookup(memory);
  if (typeof found !== 'string') return found;
  const message = memoryProblemMessage(found, memory, where);
  if (found === 'not-a-handle') ctx.failures.add(parameterVuid, message);
  else ctx.failures.add(found === 'other-device' ? parentVuid : parameterVuid, message, 'state');
  return undefined;
}

/** Why `memory`, passed as `where`, is not a live memory object of the device, in one sentence. */
export function memoryProblemMessage(problem: MemoryProblem, memory: unknown, where: string): string {
  switch (problem) {
    case 'not-a-handle':
      return `${where} is ${describeValue(memory)}, not a VkDeviceMemory handle`;
    case 'freed':
      return `${where} (${describeMemory(memory as object)}) has been freed`;
    case 'other-device':
      return `${where} (${describeMemory(memory as object)}) was allocated from another device, not this one`;
    case 'unknown':
      return `${where} (${describeMemory(memory as object)}) is not a memory object of this device: the validation layer never saw it allocated (from a device without validation, or before validation was enabled)`;
  }
}

/** A structure that may appear in a pNext chain, and what makes it usable on the device. */
export interface ChainMember {
  readonly name: string;
  readonly sType: number;
  /** A member that only this structure has, to recognise it when its sType is wrong. */
  readonly signature: string;
  /** Its sType rule, reported when the structure is recognised by its members but its sType is wrong. */
  readonly sTypeVuid: VuidId;
  /** The version or extension that provides the structure, for the message. */
  readonly providedBy: string;
  isAvailable(facts: DeviceFacts): boolean;
}

export interface ChainRules {
  /** The structure whose chain this is, e.g. VkMemoryMapInfo. */
  readonly structName: string;
  /** How the message names the structure, e.g. pMemoryMapInfo. */
  readonly where: string;
  readonly pNextVuid: VuidId;
  /** Absent where the structure extends nothing (pNext must be null). */
  readonly uniqueVuid?: VuidId;
  readonly members: readonly ChainMember[];
}

/** Checks every structure of a pNext chain: known, available on this device, each sType once. */
export function checkChain(ctx: CallContext, pNext: unknown, rules: ChainRules): void {
  if (pNext === undefined || pNext === null) return;
  const seenTypes: number[] = [];
  let node: unknown = pNext;
  for (let index = 0; node !== undefined && node !== null; index++) {
    const at = index === 0 ? `${rules.where}.pNext` : `${rules.where}.pNext chain entry ${index}`;
    if (index === MAX_CHAIN_LENGTH) {
      ctx.failures.add(
        rules.pNextVuid,
        `${rules.where}.pNext chain is longer than ${MAX_CHAIN_LENGTH} structures (a cycle?)`,
      );
      return;
    }
    if (!isObject(node)) {
      ctx.failures.add(rules.pNextVuid, `${at} is ${describeValue(node)}, not a structure`);
      return;
    }
    const struct = node;
    const sType = struct.sType;
    const member = rules.members.find((m) => m.sType === sType);
    if (member) {
      if (!member.isAvailable(ctx.state.facts)) {
        ctx.failures.add(
          rules.pNextVuid,
          `${at} is a ${member.name}, which needs ${member.providedBy}, not enabled on this device`,
        );
      }
      if (seenTypes.includes(member.sType)) {
        ctx.failures.add(rules.uniqueVuid ?? rules.pNextVuid, `${at} is a second ${member.name} in the chain`);
      }
      seenTypes.push(member.sType);
    } else {
      const lookalike = rules.members.find((m) => m.signature in struct);
      if (lookalike) {
        ctx.failures.add(
          lookalike.sTypeVuid,
          `${at} has the members of ${lookalike.name} but its sType is ${describeValue(sType)}, not ${lookalike.sType}`,
        );
      } else if (rules.members.length === 0) {
        ctx.failures.add(
          rules.pNextVuid,
          `${at} must be null: no structure extends ${rules.structName} (got one with sType ${describeValue(sType)})`,
        );
      } else {
        ctx.failures.add(
          rules.pNextVuid,
          `${at} has sType ${describeValue(sType)}, which is not a structure vkmap accepts here (${rules.members.map((m) => m.name).join(', ')})`,
        );
      }
    }
    node = struct.pNext;
  }
}

/** Checks an optional top-level sType: undefined means vkmap fills it in. */
export function checkSType(
  ctx: CallContext,
  info: Record<string, unknown>,
  expected: number,
  name: string,
  where: string,
  vuid: VuidId,
): void {
  const sType = info.sType;
  if (sType !== undefined && sType !== expected) {
    ctx.failures.add(vuid, `${where}.sType is ${describeValue(sType)}; a ${name} has sType ${expected}`);
  }
}

/**
 * Reads a flags argument: returns the bits as a number (0 when undefined), or reports the flags rule
 * and returns undefined when it is not a 32-bit unsigned integer.
 */
export function readFlags(ctx: CallContext, flags: unknown, where: string, vuid: VuidId): number | undefined {
  if (flags === undefined) return 0;
  if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 0xffff_ffff) {
    ctx.failures.add(vuid, `${where} is ${describeValue(flags)}, not a combination of flag bits`);
    return undefined;
  }
  return flags;
}

export function flagHex(bits: number): string {
  return `0x${(bits >>> 0).toString(16)}`;
}

/**
 * A VkDeviceSize argument as a bigint: the common cases (a bigint in range, a small non-negative
 * integer) without the full conversion; anything else through `toDeviceSize`, which throws
 * `VkmapArgumentError` for what is no VkDeviceSize at all (negative, fractional, imprecise, not a number).
 */
export function readDeviceSize(value: unknown, argument: string): bigint {
  if (typeof value === 'bigint' && (value === VK_WHOLE_SIZE || (value >= 0n && value < VK_WHOLE_SIZE))) return value;
  if (typeof value === 'number' && value >= 0 && value <= 0x7fff_ffff && (value | 0) === value) return BigInt(value);
  return toDeviceSize(value, argument);
}
