/**
 * The loops of the mapping benchmarks, through the public API only: map + unmap (vkMapMemory and vkMapMemory2),
 * allocate + free, and writes into a persistent mapping. Each returns nanoseconds per operation; the memory a
 * loop needs is allocated before its clock starts and freed after it stops, as the C baseline does.
 */
import { performance } from 'node:perf_hooks';
import { VK_WHOLE_SIZE, type Device } from '@vkmap/core';

export function mapUnmap(device: Device, type: number, size: number, iterations: number): number {
  const memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type });
  try {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) {
      device.mapMemory(memory, 0, VK_WHOLE_SIZE);
      device.unmapMemory(memory);
    }
    return ((performance.now() - start) * 1e6) / iterations;
  } finally {
    device.freeMemory(memory);
  }
}

export function mapUnmap2(device: Device, type: number, size: number, iterations: number): number {
  if (!device.hasCommand('vkMapMemory2')) throw new Error('vkMapMemory2 is not available (needs a Vulkan 1.4 device)');
  const memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type });
  const mapInfo = { memory, offset: 0, size: VK_WHOLE_SIZE };
  const unmapInfo = { memory };
  try {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) {
      device.mapMemory2(mapInfo);
      device.unmapMemory2(unmapInfo);
    }
    return ((performance.now() - start) * 1e6) / iterations;
  } finally {
    device.freeMemory(memory);
  }
}

export function allocateFree(device: Device, type: number, size: number, iterations: number): number {
  const info = { allocationSize: size, memoryTypeIndex: type };
  const start = performance.now();
  for (let i = 0; i < iterations; i++) device.freeMemory(device.allocateMemory(info));
  return ((performance.now() - start) * 1e6) / iterations;
}

export type WriteKind = 'set' | 'fill' | 'f32';

/** The scalar loop: one Float32Array store per element, as plain JavaScript writes it. */
function storeFloats(out: Float32Array, base: number): void {
  for (let i = 0; i < out.length; i++) out[i] = base + i;
}

/** Writes the whole `bytes`-byte mapping `iterations` times: `view.set`, `view.fill` or the scalar loop. */
export function writeMapped(device: Device, type: number, bytes: number, iterations: number, kind: WriteKind): number {
  const memory = device.allocateMemory({ allocationSize: bytes, memoryTypeIndex: type });
  try {
    const mapping = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
    const view = mapping.data;
    const source = new Uint8Array(bytes).map((_, i) => (i * 7) & 0xff);
    const floats = new Float32Array(view.buffer, view.byteOffset, bytes >>> 2);
    view.fill(0); // untimed: the first touch of each page faults it in, as in the C baseline
    const start = performance.now();
    for (let i = 0; i < iterations; i++) {
      if (kind === 'set') view.set(source);
      else if (kind === 'fill') view.fill(i & 0xff);
      else storeFloats(floats, i);
    }
    const ns = ((performance.now() - start) * 1e6) / iterations;
    device.unmapMemory(memory);
    return ns;
  } finally {
    device.freeMemory(memory);
  }
}
