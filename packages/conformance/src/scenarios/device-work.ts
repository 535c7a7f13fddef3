/**
 * What the transfer and compute scenarios share: memory of the type under test, mapped once for its whole
 * life (a persistent mapping, left mapped while the device works on it), with a buffer bound in it and the
 * reference model of its bytes; and the checks of what the host reads against that model.
 */
import { alignUp, atomRange, VK_WHOLE_SIZE, type Buffer, type DeviceMemory, type MappedMemory } from '@vkmap/core';
import type { HostVisibleType } from '../device-target.js';
import { ReferenceMemory, type ByteMismatch } from '../reference-model.js';
import type { ScenarioSession } from '../session.js';

export interface MappedBufferMemory {
  readonly memory: DeviceMemory;
  /** The whole memory, mapped once. */
  readonly mapping: MappedMemory;
  readonly buffer: Buffer;
  /** Where the buffer starts in the memory: a multiple of its requirements' alignment. */
  readonly bindOffset: number;
  /** Both sides of every byte of the memory (host and device), with the atoms' flushed state. */
  readonly model: ReferenceMemory;
}

/**
 * Allocates memory of `type` with room for a buffer of `size` bytes and `usage` bound at `bindOffset` (a
 * multiple of the buffer's alignment), the allocation rounded up to whole atoms; maps all of it; binds. The
 * device frees everything when the session ends; `release` does it earlier.
 */
export function mappedBufferMemory(
  session: ScenarioSession,
  type: HostVisibleType,
  request: { readonly size: number; readonly usage: number; readonly bindOffset: (alignment: number) => number },
): MappedBufferMemory {
  const { device, target } = session;
  const buffer = device.createBuffer({ size: request.size, usage: request.usage });
  const requirements = device.getBufferMemoryRequirements(buffer);
  const bindOffset = request.bindOffset(Number(requirements.alignment));
  if (bindOffset % Number(requirements.alignment) !== 0)
    throw new Error(`internal: bind offset ${bindOffset} is not a multiple of ${requirements.alignment}`);
  const allocationSize = alignUp(BigInt(bindOffset) + requirements.size, target.atomSize);
  const memory = device.allocateMemory({ allocationSize, memoryTypeIndex: type.index });
  const mapping = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
  device.bindBufferMemory(buffer, memory, bindOffset);
  const model = new ReferenceMemory(Number(allocationSize), Number(target.atomSize), type.coherent);
  return { memory, mapping, buffer, bindOffset, model };
}

/** Destroys the buffer and frees the memory (which unmaps it). */
export function release(session: ScenarioSession, target: MappedBufferMemory): void {
  session.device.destroyBuffer(target.buffer);
  session.device.freeMemory(target.memory);
}

/** A host write through the mapping at memory offset `offset`, recorded in the model. */
export function hostWrite(target: MappedBufferMemory, offset: number, bytes: Uint8Array): void {
  target.mapping.data.set(bytes, offset);
  target.model.write(offset, bytes);
}

/**
 * Flushes (or invalidates) [offset, offset + size) rounded out to nonCoherentAtomSize and clamped to the
 * memory, as an application must, and applies the same to the model. Does nothing on coherent memory.
 */
export function flushRange(session: ScenarioSession, target: MappedBufferMemory, offset: number, size: number): void {
  syncRange(session, target, offset, size, 'flush');
}

export function invalidateRange(
  session: ScenarioSession,
  target: MappedBufferMemory,
  offset: number,
  size: number,
): void {
  syncRange(session, target, offset, size, 'invalidate');
}

function syncRange(
  session: ScenarioSession,
  target: MappedBufferMemory,
  offset: number,
  size: number,
  kind: 'flush' | 'invalidate',
): void {
  if (target.mapping.isCoherent) return;
  const range = atomRange(BigInt(offset), BigInt(size), session.target.atomSize, target.memory.allocationSize);
  const ranges = [{ memory: target.memory, offset: range.offset, size: range.size }];
  if (kind === 'flush') {
    session.device.flushMappedMemoryRanges(ranges);
    target.model.flush(Number(range.offset), Number(range.size));
  } else {
    session.device.invalidateMappedMemoryRanges(ranges);
    target.model.invalidate(Number(range.offset), Number(range.size));
  }
}

/** The bytes the model says the device holds at [offset, offset + length); each must be defined. */
export function deviceBytesOf(model: ReferenceMemory, offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const value = model.deviceExpectedAt(offset + i);
    if (value === undefined) throw new Error(`internal: the device's byte ${offset + i} is undefined in the model`);
    bytes[i] = value;
  }
  return bytes;
}

/** Checks every byte the host reads through the mapping against the model. */
export function checkHostBytes(session: ScenarioSession, target: MappedBufferMemory, what: string): void {
  const mismatch = target.model.checkRead(0, target.mapping.data);
  if (mismatch) throw new Error(`${what}: ${describeMismatch(mismatch, Number(session.target.atomSize))}`);
}

function describeMismatch(mismatch: ByteMismatch, atom: number): string {
  return (
    `the host reads 0x${mismatch.actual.toString(16)} at byte ${mismatch.offset} of the memory (atom ${Math.floor(mismatch.offset / atom)}), ` +
    `the model expects 0x${mismatch.expected.toString(16)}`
  );
}

/** 32-bit little-endian words as bytes. */
export function wordsToBytes(words: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((word, i) => view.setUint32(i * 4, word >>> 0, true));
  return bytes;
}
