import { isPowerOfTwo, VkmapArgumentError, toDeviceSize } from '@vkmap/core';

/** Index of the lowest set bit of a non-zero 32-bit pattern. */
export function lowestBit(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}

/** A caller's size as a safe-integer `number`, for the algorithms inside blocks. */
export function toSafeSize(value: unknown, argument: string): number {
  const size = toDeviceSize(value, argument);
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new VkmapArgumentError(argument, `${size} is above 2^53 - 1, the largest size a block can manage`);
  }
  return Number(size);
}

/** A caller's alignment: a power of two (0 and undefined mean 1). */
export function toAlignment(value: unknown, argument: string): number {
  if (value === undefined) return 1;
  const alignment = toSafeSize(value, argument);
  if (alignment === 0) return 1;
  if (!isPowerOfTwo(alignment)) throw new VkmapArgumentError(argument, `must be a power of two (got ${alignment})`);
  return alignment;
}
