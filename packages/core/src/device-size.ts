import { VK_WHOLE_SIZE } from './constants.js';
import { VkmapArgumentError } from './errors.js';

/** A `VkDeviceSize` as callers may pass it: a safe integer `number` or a `bigint`. */
export type DeviceSizeInput = number | bigint;

export const MAX_DEVICE_SIZE = 0xffff_ffff_ffff_ffffn;

/**
 * Converts a caller's `VkDeviceSize` to a `bigint`, rejecting what would lose precision: negative values,
 * fractions, `number`s beyond `Number.MAX_SAFE_INTEGER`, and anything above 2^64 - 1.
 */
export function toDeviceSize(value: unknown, argument: string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new VkmapArgumentError(argument, `must not be negative (got ${value}n)`);
    if (value > MAX_DEVICE_SIZE) {
      throw new VkmapArgumentError(argument, `must fit in 64 bits, at most 2^64 - 1 (got ${value}n)`);
    }
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new VkmapArgumentError(argument, `must be a finite integer (got ${value})`);
    if (!Number.isInteger(value)) throw new VkmapArgumentError(argument, `must be a whole number (got ${value})`);
    if (value < 0) throw new VkmapArgumentError(argument, `must not be negative (got ${value})`);
    if (!Number.isSafeInteger(value)) {
      throw new VkmapArgumentError(
        argument,
        `${value} is above Number.MAX_SAFE_INTEGER and may have lost precision; pass a bigint instead`,
      );
    }
    return BigInt(value);
  }
  throw new VkmapArgumentError(argument, `must be a number or a bigint (got ${describeValue(value)})`);
}

/** Like `toDeviceSize`, but `undefined` gives the default. */
export function toOptionalDeviceSize(value: unknown, argument: string, fallback: bigint): bigint {
  return value === undefined ? fallback : toDeviceSize(value, argument);
}

/** Converts a `uint32_t` argument (flags, indices, counts). */
export function toUint32(value: unknown, argument: string): number {
  if (typeof value === 'bigint') {
    if (value < 0n || value > 0xffff_ffffn) {
      throw new VkmapArgumentError(argument, `must be a 32-bit unsigned integer (got ${value}n)`);
    }
    return Number(value);
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new VkmapArgumentError(argument, `must be a 32-bit unsigned integer (got ${describeValue(value)})`);
  }
  return value;
}

/** Converts a size that must also fit a JavaScript array length, for byte views. */
export function toByteLength(size: bigint, argument: string): number {
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new VkmapArgumentError(argument, `${size} bytes cannot be addressed from JavaScript`);
  }
  return Number(size);
}

export function isWholeSize(size: bigint): boolean {
  return size === VK_WHOLE_SIZE;
}

/** `value` rounded down to a multiple of `alignment` (sizes as `bigint`, or safe-integer `number`s). */
export function alignDown(value: bigint, alignment: bigint): bigint;
export function alignDown(value: number, alignment: number): number;
export function alignDown(value: bigint | number, alignment: bigint | number): bigint | number {
  return typeof value === 'bigint' ? value - (value % (alignment as bigint)) : value - (value % (alignment as number));
}

/** `value` rounded up to a multiple of `alignment` (sizes as `bigint`, or safe-integer `number`s). */
export function alignUp(value: bigint, alignment: bigint): bigint;
export function alignUp(value: number, alignment: number): number;
export function alignUp(value: bigint | number, alignment: bigint | number): bigint | number {
  if (typeof value === 'bigint') {
    const rest = value % (alignment as bigint);
    return rest === 0n ? value : value + ((alignment as bigint) - rest);
  }
  const rest = value % (alignment as number);
  return rest === 0 ? value : value + ((alignment as number) - rest);
}

export function isAligned(value: bigint, alignment: bigint): boolean {
  return value % alignment === 0n;
}

/** Whether `value` is a power of two: a positive `bigint`, or a positive safe-integer `number`. */
export function isPowerOfTwo(value: bigint | number): boolean {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return false;
  const v = BigInt(value);
  return v > 0n && (v & (v - 1n)) === 0n;
}

/** Resolves `VK_WHOLE_SIZE` against the end of a range: `end - offset`, or `size` unchanged. */
export function resolveWholeSize(offset: bigint, size: bigint, end: bigint): bigint {
  return size === VK_WHOLE_SIZE ? end - offset : size;
}

/**
 * The range a flush or invalidate really covers: offset rounded down and end rounded up to the
 * non-coherent atom, the end clamped to `limit` (the end of the mapping or allocation), the way
 * drivers and VMA round it.
 */
export function atomRange(offset: bigint, size: bigint, atom: bigint, limit: bigint): { offset: bigint; size: bigint } {
  const end = size === VK_WHOLE_SIZE ? limit : offset + size;
  const start = alignDown(offset, atom);
  const roundedEnd = alignUp(end, atom);
  const clampedEnd = roundedEnd > limit ? limit : roundedEnd;
  return { offset: start, size: clampedEnd > start ? clampedEnd - start : 0n };
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value === 'undefined' ? 'undefined' : String(value)}`;
}
