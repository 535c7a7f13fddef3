import { VkmapArgumentError, toDeviceSize } from '@vkmap/core';

const TWO_POW_32 = 4294967296;

/** Index of the highest set bit of a positive integer below 2^53. */
export function highestBit(value: number): number {
  if (value < TWO_POW_32) return 31 - Math.clz32(value);
  return 63 - Math.clz32(Math.floor(value / TWO_POW_32));
}

/** Index of the lowest set bit of a non-zero 32-bit pattern. */
export function lowestBit(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}

export function isPowerOfTwoNumber(value: number): boolean {
  if (!Number.isSafeInteger(value) || value <= 0) return false;
  return 2 ** highestBit(value) === value;
}

export function alignUpNumber(value: number, alignment: number): number {
  const rest = value % alignment;
  return rest === 0 ? value : value + (alignment - rest);
}

export function alignDownNumber(value: number, alignment: number): number {
  return value - (value % alignment);
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
  if (!isPowerOfTwoNumber(alignment)) throw new VkmapArgumentError(argument, `must be a power of two (got ${alignment})`);
  return alignment;
}
