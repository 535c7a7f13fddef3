/**
 * Reading the snapshot of a compute command's argument into checked values, with the front's one wording:
 * a malformed argument is a `VkmapArgumentError` naming its parameter path (`pCreateInfo.size`,
 * `pDescriptorWrites[1].bufferInfo[0].range`).
 */
import { describeValue, toDeviceSize, toUint32 } from '../device-size.js';
import { VkmapArgumentError } from '../errors.js';

export function isStructure(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A structure argument (`pCreateInfo`): an object, or a VkmapArgumentError naming what it should be. */
export function structureArg(value: unknown, argument: string, type: string): Record<string, unknown> {
  if (!isStructure(value))
    throw new VkmapArgumentError(argument, `must be a ${type} object (got ${describeValue(value)})`);
  return value;
}

/** An optional structure argument: undefined (and null) read as an empty one. */
export function optionalStructureArg(value: unknown, argument: string, type: string): Record<string, unknown> {
  return value === undefined || value === null ? {} : structureArg(value, argument, type);
}

/** An array argument; `nonEmpty` when the specification's count must be at least 1. */
export function arrayArg(value: unknown, argument: string, of: string, nonEmpty = false): readonly unknown[] {
  if (!Array.isArray(value))
    throw new VkmapArgumentError(argument, `must be an array of ${of} (got ${describeValue(value)})`);
  if (nonEmpty && value.length === 0) throw new VkmapArgumentError(argument, `must hold at least one ${of}`);
  return value;
}

/** An optional array member: undefined reads as empty. */
export function optionalArrayArg(value: unknown, argument: string, of: string): readonly unknown[] {
  return value === undefined ? [] : arrayArg(value, argument, of);
}

export const uint32Arg = toUint32;

export function optionalUint32Arg(value: unknown, argument: string, fallback: number): number {
  return value === undefined ? fallback : toUint32(value, argument);
}

export const deviceSizeArg = toDeviceSize;

/** A count or size that must be greater than 0. */
export function positiveUint32Arg(value: unknown, argument: string): number {
  const n = toUint32(value, argument);
  if (n === 0) throw new VkmapArgumentError(argument, 'must be greater than 0');
  return n;
}

/** A multiple of 4 (push constant offsets and sizes, fill offsets and sizes). */
export function requireMultipleOf4(value: number | bigint, argument: string): void {
  if (BigInt(value) % 4n !== 0n) throw new VkmapArgumentError(argument, `must be a multiple of 4 (got ${value})`);
}

/**
 * A flags argument: undefined reads as 0; bits outside `offered` are refused, naming the bits vkmap offers
 * there (`names`: each offered bit by its registry name).
 */
export function flagsArg(
  value: unknown,
  argument: string,
  type: string,
  names: Readonly<Record<string, number>>,
): number {
  if (value === undefined) return 0;
  const bits = toUint32(value, argument);
  let offered = 0;
  for (const bit of Object.values(names)) offered |= bit;
  const unknown = (bits & ~offered) >>> 0;
  if (unknown !== 0) {
    const list = Object.entries(names)
      .map(([name, bit]) => `${name} 0x${bit.toString(16)}`)
      .join(', ');
    throw new VkmapArgumentError(
      argument,
      `0x${bits.toString(16)} has bits (0x${unknown.toString(16)}) that vkmap does not offer in ${type} (offered: ${list || 'none'})`,
    );
  }
  return bits;
}

export function booleanArg(value: unknown, argument: string): boolean {
  if (typeof value !== 'boolean')
    throw new VkmapArgumentError(argument, `must be a boolean (got ${describeValue(value)})`);
  return value;
}

/** A Uint32Array or Uint8Array argument (the snapshot copied it, so it is a real one of its kind). */
export function typedArrayArg<T extends Uint32Array | Uint8Array>(
  value: unknown,
  argument: string,
  kind: new (length: number) => T,
): T {
  if (!ArrayBuffer.isView(value) || !(value instanceof kind))
    throw new VkmapArgumentError(argument, `must be a ${kind.name} (got ${describeValue(value)})`);
  return value;
}
