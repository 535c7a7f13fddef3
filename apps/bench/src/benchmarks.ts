/**
 * The benchmarks of a run and, for each, its sides: what each side's process is asked to do (protocol.ts).
 * Rows of one benchmark run the same loop with the same sizes; the C row is the ratio's reference, the webgpu
 * row (WebGPU's closest operation, a buffer map round trip) the other.
 */
import type { LineProcess } from './line-process.js';
import { MAP_SIZE, type Sizes } from './modes.js';
import { webgpuBatch } from './peers/webgpu.js';
import { flagNames, type Answer } from './protocol.js';
import type { Benchmark, Row } from './runner.js';
import type { SideName } from './results.js';

export interface Side {
  readonly process?: LineProcess;
  /** Why this side cannot run. */
  readonly unavailable?: string;
}

export interface Sides {
  readonly vkmap: Side;
  readonly validated: Side;
  readonly c: Side;
  readonly webgpu: { readonly unavailable?: string };
}

export interface PlanOptions {
  readonly sizes: Sizes;
  /** The memory type of map, allocate and the allocator. */
  readonly type: number;
  /** Every memory type the write benchmarks cover, with its property flags. */
  readonly writeTypes: readonly { readonly index: number; readonly propertyFlags: number }[];
}

async function ask(process: LineProcess, line: string): Promise<number> {
  const answer = await process.request<Answer>(line);
  if (answer.error !== undefined) throw new Error(answer.error);
  return answer.nsPerOp!;
}

function row(side: SideName, label: string, from: Side, line: string): Row {
  return {
    side,
    label,
    measure: () => ask(from.process!, line),
    ...(from.unavailable !== undefined && { unavailable: from.unavailable }),
  };
}

/** A batch whose process dies is run again, up to this many times per round; each death is kept in the row's notes. */
const WEBGPU_ATTEMPTS = 3;

function webgpuRow(sides: Sides, sizes: Sizes): Row {
  const notes: string[] = [];
  return {
    side: 'webgpu',
    label: `mapAsync(WRITE) + getMappedRange + unmap (${sizes.webgpuIterations} per fresh process)`,
    warmup: false,
    notes,
    measure: async () => {
      let error = '';
      for (let attempt = 0; attempt < WEBGPU_ATTEMPTS; attempt++) {
        const batch = await webgpuBatch(MAP_SIZE, sizes.webgpuIterations);
        if (batch.error === undefined) return batch.nsPerOp!;
        error = batch.error;
        notes.push(`a batch failed and was run again: ${batch.error}`);
      }
      throw new Error(`${WEBGPU_ATTEMPTS} batches in a row failed; the last: ${error}`);
    },
    ...(sides.webgpu.unavailable !== undefined && { unavailable: sides.webgpu.unavailable }),
  };
}

export function plan(sides: Sides, { sizes, type, writeTypes }: PlanOptions): Benchmark[] {
  const { vkmap, validated, c } = sides;
  const map = `${type} ${MAP_SIZE} ${sizes.mapIterations}`;
  const validatedMap = `${type} ${MAP_SIZE} ${sizes.validatedMapIterations}`;
  const benchmarks: Benchmark[] = [
    {
      id: 'map',
      short: 'map+unmap 64 KiB',
      title: 'map + unmap 64 KiB (vkMapMemory)',
      rows: [
        row('vkmap', 'device.mapMemory + unmapMemory', vkmap, `map ${map}`),
        row('C', 'vkMapMemory + vkUnmapMemory', c, `map ${map}`),
        webgpuRow(sides, sizes),
      ],
    },
    {
      id: 'map2',
      short: 'map2+unmap2 64 KiB',
      title: 'map + unmap 64 KiB (vkMapMemory2)',
      rows: [
        row('vkmap', 'device.mapMemory2 + unmapMemory2', vkmap, `map2 ${map}`),
        row('C', 'vkMapMemory2 + vkUnmapMemory2', c, `map2 ${map}`),
        webgpuRow(sides, sizes),
      ],
    },
    {
      id: 'validation',
      short: 'map+unmap, validation',
      title: 'map + unmap 64 KiB with createDevice({ validation: true })',
      note: 'the validation layer checks every call; the bare vkmap row is the same loop without it',
      rows: [
        row('vkmap+validation', 'mapMemory + unmapMemory, validated', validated, `map ${validatedMap}`),
        row('vkmap', 'mapMemory + unmapMemory, bare', vkmap, `map ${validatedMap}`),
        row('C', 'vkMapMemory + vkUnmapMemory', c, `map ${validatedMap}`),
      ],
    },
    {
      id: 'alloc',
      short: 'allocate+free 64 KiB',
      title: 'allocate + free 64 KiB',
      rows: [
        row('vkmap', 'device.allocateMemory + freeMemory', vkmap, `alloc ${type} ${MAP_SIZE} ${sizes.allocIterations}`),
        row('C', 'vkAllocateMemory + vkFreeMemory', c, `alloc ${type} ${MAP_SIZE} ${sizes.allocIterations}`),
      ],
    },
  ];

  const mib = sizes.writeBytes / (1024 * 1024);
  const size = mib >= 1 ? `${mib} MiB` : `${sizes.writeBytes / 1024} KiB`;
  for (const { index, propertyFlags } of writeTypes) {
    const write = `${index} ${sizes.writeBytes} ${sizes.writeIterations}`;
    const where = `type ${index} (${flagNames(propertyFlags)})`;
    const pairs = [
      ['set', 'view.set(source)', 'memcpy', 'memcpy'],
      ['fill', 'view.fill(byte)', 'memset', 'memset'],
      ['f32', 'Float32Array scalar loop', 'floats', 'float store loop'],
    ] as const;
    for (const [kind, label, cKind, cLabel] of pairs) {
      benchmarks.push({
        id: `write.${index}.${kind}`,
        short: `write ${size}, type ${index}: ${label}`,
        title: `write ${size} into mapped memory, ${where}: ${label}`,
        bytesPerOp: sizes.writeBytes,
        rows: [row('vkmap', label, vkmap, `write ${write} ${kind}`), row('C', cLabel, c, `write ${write} ${cKind}`)],
      });
    }
  }

  benchmarks.push(
    {
      id: 'allocator',
      short: 'allocator alloc+free',
      title: '@vkmap/allocator allocateMemory + freeMemory 64 KiB',
      note: 'a sub-allocation from a kept block (TLSF); the C row is the driver allocation it saves',
      rows: [
        row(
          'vkmap',
          'allocator.allocateMemory + freeMemory',
          vkmap,
          `allocator ${type} ${MAP_SIZE} ${sizes.allocatorIterations}`,
        ),
        row('C', 'vkAllocateMemory + vkFreeMemory', c, `alloc ${type} ${MAP_SIZE} ${sizes.allocIterations}`),
      ],
    },
    {
      id: 'compute',
      short: 'upload-dispatch-readback',
      title: `upload -> dispatch -> readback, saxpy over ${sizes.computeElements} floats`,
      note: 'write x and y through persistent mappings, submit, wait for the fence, copy y out',
      rows: [
        row(
          'vkmap',
          'mapped upload, queueSubmit, waitForFences, readback',
          vkmap,
          `compute ${sizes.computeElements} ${sizes.computeIterations}`,
        ),
      ],
    },
  );
  return benchmarks;
}
