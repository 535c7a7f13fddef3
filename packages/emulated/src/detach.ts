/**
 * Moves an ArrayBuffer's contents into a new ArrayBuffer without copying and detaches the old one, so every
 * view over the old buffer reads as length 0 and its methods throw.
 */
export function moveBuffer(buffer: ArrayBuffer): ArrayBuffer {
  return structuredClone(buffer, { transfer: [buffer] });
}

/** Detaches a buffer, dropping its contents. */
export function detachBuffer(buffer: ArrayBuffer): void {
  if (buffer.byteLength > 0) moveBuffer(buffer);
}
