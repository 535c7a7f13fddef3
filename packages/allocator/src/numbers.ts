import { isPowerOfTwo, VkmapArgumentError, toDeviceSize } from '@vkmap/core';

/** Index of the lowest set bit of a non-zero 32-bit pattern. */
export function lowestBit(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}

/** A caller's size as a safe-integer `number`, for the algorithms inside blocks. */
export function toSafeSize(value: unknown, argument: string): number {
  // The common case without BigInt round trips; everything else gets core's checks and messages.
  if (typeof value === 'number' && value >= 0 && Number.isSafeInteger(value)) return value;
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
  // A safe integer up to 2^31 is a power of two when it has one bit set; larger ones go to core's check.
  if (alignment <= 0x8000_0000 ? (alignment & (alignment - 1)) !== 0 : !isPowerOfTwo(alignment))
    throw new VkmapArgumentError(argument, `must be a power of two (got ${alignment})`);
  return alignment;
}
