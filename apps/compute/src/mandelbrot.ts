/**
 * The Mandelbrot set to a PNG: shaders/mandelbrot.comp computes each pixel's iteration count with `precise`
 * float32 arithmetic (no fused multiply-add, no reordering), so every conforming device gives the same counts,
 * pixel for pixel, and the emulated GPU gives what lavapipe and real GPUs give. The view goes in through a
 * persistently mapped uniform buffer (flushed), the counts come back through a persistently mapped HOST_CACHED
 * storage buffer (invalidated), and a sample of pixels is checked against the same float32 arithmetic on the
 * CPU. The counts are coloured on the host and written with fast-png.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { AllocationCreateFlagBits as F, createAllocator, type BufferAllocation } from '@vkmap/allocator';
import { VkBufferUsageFlagBits, VkDescriptorType, VkPipelineBindPoint } from '@vkmap/core';
import { encode } from 'fast-png';
import { Barriers, COMPUTE_STAGE, createComputePipeline, createPipelineLayout, submitAndWait } from './compute-kit.js';
import { UsageError } from './errors.js';
import type { Gpu, Hazard } from './gpu.js';
import { nonCoherentMask, reportType, type MemoryTypeReport } from './memory.js';
import type { Progress } from './progress.js';
import { mandelbrotSpirv } from './shaders.generated.js';

const USAGE = VkBufferUsageFlagBits;
const { VK_DESCRIPTOR_TYPE_STORAGE_BUFFER: STORAGE_BUFFER, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER: UNIFORM_BUFFER } =
  VkDescriptorType;
const BIND_COMPUTE = VkPipelineBindPoint.VK_PIPELINE_BIND_POINT_COMPUTE;
/** mandelbrot.comp's local size (8 x 8). */
const LOCAL_SIZE = 8;
/** The std140 View block: vec2 origin, vec2 step, uint width, height, maxIterations (28 bytes, padded to 32). */
const VIEW_BYTES = 32;
/** Pixels checked against the CPU: a SAMPLE_GRID x SAMPLE_GRID grid over the image. */
const SAMPLE_GRID = 16;

/** The region drawn: the whole set, centred, SPAN_X wide. */
const CENTER_X = -0.65;
const CENTER_Y = 0;
const SPAN_X = 3.1;

export interface MandelbrotOptions {
  readonly width: number;
  readonly height: number;
  readonly maxIterations: number;
  /** Where the PNG goes. */
  readonly output: string;
}

export interface MandelbrotResult {
  readonly width: number;
  readonly height: number;
  readonly maxIterations: number;
  readonly output: string;
  readonly pngBytes: number;
  /** sha256 of the iteration counts (u32 little-endian, row by row): the same on every device. */
  readonly iterationsSha256: string;
  readonly pngSha256: string;
  /** Pixels that reached maxIterations (inside the set, as far as this many iterations tell). */
  readonly insidePixels: number;
  readonly view: MemoryTypeReport;
  readonly storage: MemoryTypeReport;
  readonly timings: { readonly dispatchMs: number; readonly readbackMs: number; readonly encodeMs: number };
  /** Sampled pixels, and those whose count differs from the CPU's float32 arithmetic. */
  readonly sampled: number;
  readonly sampleMismatches: number;
  readonly verified: boolean;
  readonly hazards: readonly Hazard[];
  /** The allocator's memory picture (buildStatsSvg) while the buffers were live. */
  readonly statsSvg: string;
}

interface View {
  readonly originX: number;
  readonly originY: number;
  readonly step: number;
}

/** The view as float32, as the shader receives it. */
function viewOf(width: number, height: number): View {
  const step = Math.fround(SPAN_X / width);
  return {
    originX: Math.fround(CENTER_X - (step * width) / 2),
    originY: Math.fround(CENTER_Y - (step * height) / 2),
    step,
  };
}

/** One pixel's iteration count with the shader's float32 operations, each rounded as `precise` requires. */
export function cpuIterations(view: View, x: number, y: number, maxIterations: number): number {
  const f = Math.fround;
  const cx = f(view.originX + f(x * view.step));
  const cy = f(view.originY + f(y * view.step));
  let zx = 0;
  let zy = 0;
  let i = 0;
  while (i < maxIterations) {
    const x2 = f(zx * zx);
    const y2 = f(zy * zy);
    if (f(x2 + y2) > 4) break;
    const xy = f(zx * zy);
    zx = f(f(x2 - y2) + cx);
    zy = f(f(xy + xy) + cy);
    i++;
  }
  return i;
}

/** Colour stops of the palette (position in [0, 1], r, g, b): deep blue, white, orange, dark. */
const STOPS: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 7, 100],
  [0.16, 32, 107, 203],
  [0.42, 237, 255, 255],
  [0.6425, 255, 170, 0],
  [0.8575, 0, 2, 0],
  [1, 0, 7, 100],
];

/** RGB of an iteration count: black inside the set, else the palette at sqrt(i / max). */
export function colour(iterations: number, maxIterations: number): [number, number, number] {
  if (iterations >= maxIterations) return [0, 0, 0];
  const t = Math.sqrt(iterations / maxIterations);
  let k = 1;
  while (k < STOPS.length - 1 && STOPS[k]![0] < t) k++;
  const [t0, r0, g0, b0] = STOPS[k - 1]!;
  const [t1, r1, g1, b1] = STOPS[k]!;
  const u = (t - t0) / (t1 - t0);
  return [Math.round(r0 + (r1 - r0) * u), Math.round(g0 + (g1 - g0) * u), Math.round(b0 + (b1 - b0) * u)];
}

export function checkImageSize(gpu: Gpu, width: number, height: number): void {
  const limits = gpu.physicalDevice.getProperties().limits;
  const bytes = width * height * 4;
  if (bytes > limits.maxStorageBufferRange) {
    throw new UsageError(
      `--size ${width}x${height}: ${bytes} bytes of iteration counts exceed this device's maxStorageBufferRange (${limits.maxStorageBufferRange})`,
    );
  }
  const groups = [Math.ceil(width / LOCAL_SIZE), Math.ceil(height / LOCAL_SIZE)];
  if (groups[0]! > limits.maxComputeWorkGroupCount[0] || groups[1]! > limits.maxComputeWorkGroupCount[1]) {
    throw new UsageError(`--size ${width}x${height}: more workgroups than this device dispatches at once`);
  }
}

export async function runMandelbrot(
  gpu: Gpu,
  options: MandelbrotOptions,
  progress: Progress,
): Promise<MandelbrotResult> {
  const { device } = gpu;
  const { width, height, maxIterations } = options;
  checkImageSize(gpu, width, height);
  const pixels = width * height;
  const view = viewOf(width, height);

  const allocator = createAllocator(device);
  const setLayout = device.createDescriptorSetLayout({
    bindings: [
      { binding: 0, descriptorType: STORAGE_BUFFER, descriptorCount: 1, stageFlags: COMPUTE_STAGE },
      { binding: 1, descriptorType: UNIFORM_BUFFER, descriptorCount: 1, stageFlags: COMPUTE_STAGE },
    ],
  });
  const layout = createPipelineLayout(device, setLayout);
  const pipeline = createComputePipeline(device, mandelbrotSpirv(), layout);
  const buffers: BufferAllocation[] = [];
  const pool = device.createDescriptorPool({
    maxSets: 1,
    poolSizes: [
      { type: STORAGE_BUFFER, descriptorCount: 1 },
      { type: UNIFORM_BUFFER, descriptorCount: 1 },
    ],
  });
  try {
    const uniform = allocator.createBuffer(
      { size: VIEW_BYTES, usage: USAGE.VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT },
      {
        flags: F.HOST_ACCESS_SEQUENTIAL_WRITE | F.MAPPED,
        memoryTypeBits: nonCoherentMask(gpu.memoryTypes),
        name: 'view',
      },
    );
    buffers.push(uniform);
    const storage = allocator.createBuffer(
      { size: pixels * 4, usage: USAGE.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT },
      { flags: F.HOST_ACCESS_RANDOM | F.MAPPED | F.DEDICATED_MEMORY, name: 'iterations' },
    );
    buffers.push(storage);

    const block = new DataView(new ArrayBuffer(VIEW_BYTES));
    block.setFloat32(0, view.originX, true);
    block.setFloat32(4, view.originY, true);
    block.setFloat32(8, view.step, true);
    block.setFloat32(12, view.step, true);
    block.setUint32(16, width, true);
    block.setUint32(20, height, true);
    block.setUint32(24, maxIterations, true);
    uniform.allocation.mappedData!.set(new Uint8Array(block.buffer));
    allocator.flushAllocation(uniform.allocation, 0, VIEW_BYTES);

    const [set] = device.allocateDescriptorSets({ descriptorPool: pool, setLayouts: [setLayout] });
    device.updateDescriptorSets([
      {
        dstSet: set!,
        dstBinding: 0,
        descriptorType: STORAGE_BUFFER,
        bufferInfo: [{ buffer: storage.buffer, offset: 0, range: pixels * 4 }],
      },
      {
        dstSet: set!,
        dstBinding: 1,
        descriptorType: UNIFORM_BUFFER,
        bufferInfo: [{ buffer: uniform.buffer, offset: 0, range: VIEW_BYTES }],
      },
    ]);

    progress.start(`mandelbrot: ${width}x${height}, up to ${maxIterations} iterations a pixel on the GPU`, true);
    const barriers = new Barriers(device, true);
    const dispatchMs = await submitAndWait(device, gpu.queue, (commandBuffer) => {
      device.cmdBindPipeline(commandBuffer, BIND_COMPUTE, pipeline);
      device.cmdBindDescriptorSets(commandBuffer, BIND_COMPUTE, layout, 0, [set!]);
      device.cmdDispatch(commandBuffer, Math.ceil(width / LOCAL_SIZE), Math.ceil(height / LOCAL_SIZE), 1);
      barriers.toHost(commandBuffer, 'COMPUTE_SHADER', storage.buffer);
    });
    progress.end();

    let start = performance.now();
    allocator.invalidateAllocation(storage.allocation, 0, pixels * 4);
    const iterations = new Uint32Array(pixels);
    new Uint8Array(iterations.buffer).set(storage.allocation.mappedData!.subarray(0, pixels * 4));
    const readbackMs = performance.now() - start;

    let sampled = 0;
    let sampleMismatches = 0;
    for (let sy = 0; sy < SAMPLE_GRID; sy++) {
      for (let sx = 0; sx < SAMPLE_GRID; sx++) {
        const x = Math.floor(((sx + 0.5) * width) / SAMPLE_GRID);
        const y = Math.floor(((sy + 0.5) * height) / SAMPLE_GRID);
        sampled += 1;
        if (iterations[y * width + x] !== cpuIterations(view, x, y, maxIterations)) sampleMismatches += 1;
      }
    }

    start = performance.now();
    const rgb = new Uint8Array(pixels * 3);
    let insidePixels = 0;
    for (let i = 0; i < pixels; i++) {
      const count = iterations[i]!;
      if (count >= maxIterations) insidePixels += 1;
      const [r, g, b] = colour(count, maxIterations);
      rgb[i * 3] = r;
      rgb[i * 3 + 1] = g;
      rgb[i * 3 + 2] = b;
    }
    const png = encode({ width, height, data: rgb, channels: 3, depth: 8 });
    writeFileSync(options.output, png);
    const encodeMs = performance.now() - start;

    const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    const typeOf = (buffer: BufferAllocation) => reportType(gpu.memoryTypes[buffer.allocation.memoryTypeIndex]!);
    return {
      width,
      height,
      maxIterations,
      output: options.output,
      pngBytes: png.byteLength,
      iterationsSha256: sha256(new Uint8Array(iterations.buffer)),
      pngSha256: sha256(png),
      insidePixels,
      view: typeOf(uniform),
      storage: typeOf(storage),
      timings: { dispatchMs, readbackMs, encodeMs },
      sampled,
      sampleMismatches,
      verified: sampleMismatches === 0,
      hazards: gpu.takeHazards(),
      statsSvg: allocator.buildStatsSvg(),
    };
  } finally {
    progress.end();
    device.destroyDescriptorPool(pool);
    for (const { buffer, allocation } of buffers) allocator.destroyBuffer(buffer, allocation);
    device.destroyPipeline(pipeline);
    device.destroyPipelineLayout(layout);
    device.destroyDescriptorSetLayout(setLayout);
    allocator.destroy();
  }
}
