/**
 * Arguments read once. Each command first copies what it reads of its arguments into a frozen plain
 * snapshot, so that a getter or a Proxy runs exactly once per member, before anything is checked or done;
 * the rules and the command then read only the snapshot. A snapshot is itself a valid argument (the
 * validation layer forwards its snapshot, which the front then takes as it is).
 */
import { FrontHandle } from './front/handles.js';
import { DeviceMemoryHandle } from './mapping-objects.js';
import { VkmapArgumentError } from './errors.js';
import { MAX_CHAIN_LENGTH } from './structures/chain.js';

/** Members of the structures that may be chained onto an argument (their values, and their signatures). */
const CHAINED_MEMBERS = ['pPlacedAddress', 'flags', 'deviceMask'] as const;

const ALLOCATE_INFO = ['sType', 'allocationSize', 'memoryTypeIndex'] as const;
const MAP_INFO = ['sType', 'flags', 'offset', 'size'] as const;
const UNMAP_INFO = ['sType', 'flags'] as const;
const RANGE = ['sType', 'offset', 'size'] as const;

const snapshots = new WeakSet<object>();

function isStructure(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function seal<T extends object>(value: T): T {
  snapshots.add(Object.freeze(value));
  return value;
}

/**
 * A memory handle argument: vkmap's own handles are frozen and kept by identity; anything else that is an
 * object is copied (its objectType and handle, read once), so that rules describe it without running its code.
 */
export function snapshotHandle(value: unknown): unknown {
  if (
    value instanceof DeviceMemoryHandle ||
    value instanceof FrontHandle ||
    typeof value !== 'object' ||
    value === null ||
    snapshots.has(value)
  )
    return value;
  const { objectType, handle } = value as { objectType?: unknown; handle?: unknown };
  return seal({ objectType, handle });
}

/**
 * A `pNext` chain, copied node by node: each node's members and its `pNext` read once, so a getter that
 * answers differently the second time cannot change the chain the rules check. A cycle, or a chain of more
 * than MAX_CHAIN_LENGTH structures, is refused here (`where` names the structure the chain hangs from), as
 * nothing could walk it to its end.
 */
export function snapshotChain(pNext: unknown, where = 'pNext'): unknown {
  if (!isStructure(pNext) || snapshots.has(pNext)) return pNext;
  const nodes: Record<string, unknown>[] = [];
  const seen: object[] = [];
  let node: unknown = pNext;
  while (isStructure(node)) {
    const earlier = seen.indexOf(node);
    if (earlier >= 0) {
      throw new VkmapArgumentError(
        `${where}.pNext`,
        `the chain has a cycle: structure ${seen.length} of the chain points back to structure ${earlier}; a pNext chain ends with null or undefined`,
      );
    }
    if (seen.length === MAX_CHAIN_LENGTH) {
      throw new VkmapArgumentError(
        `${where}.pNext`,
        `the chain is longer than ${MAX_CHAIN_LENGTH} structures; vkmap accepts at most ${MAX_CHAIN_LENGTH} (each structure it knows once)`,
      );
    }
    seen.push(node);
    const copy: Record<string, unknown> = { sType: node.sType };
    for (const member of CHAINED_MEMBERS) if (member in node) copy[member] = node[member];
    const next: unknown = node.pNext;
    nodes.push(copy);
    node = next;
    // A non-structure pNext (garbage) is kept for the rules to report.
    if (!isStructure(next)) copy.pNext = next;
  }
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (i + 1 < nodes.length) nodes[i]!.pNext = nodes[i + 1];
    seal(nodes[i]!);
  }
  return nodes[0];
}

function snapshotStructure(value: unknown, members: readonly string[], handle: boolean, where: string): unknown {
  if (!isStructure(value) || snapshots.has(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const member of members) copy[member] = value[member];
  copy.pNext = snapshotChain(value.pNext, where);
  if (handle) copy.memory = snapshotHandle(value.memory);
  return seal(copy);
}

export function snapshotAllocateInfo(info: unknown): unknown {
  return snapshotStructure(info, ALLOCATE_INFO, false, 'pAllocateInfo');
}

export function snapshotMapInfo(info: unknown): unknown {
  return snapshotStructure(info, MAP_INFO, true, 'pMemoryMapInfo');
}

export function snapshotUnmapInfo(info: unknown): unknown {
  return snapshotStructure(info, UNMAP_INFO, true, 'pMemoryUnmapInfo');
}

/** pMemoryRanges: the array's length and elements read once, each range copied. */
export function snapshotRanges(ranges: unknown): unknown {
  if (!Array.isArray(ranges) || snapshots.has(ranges)) return ranges;
  const length = ranges.length;
  const copy: unknown[] = [];
  for (let i = 0; i < length; i++) copy.push(snapshotStructure(ranges[i], RANGE, true, `pMemoryRanges[${i}]`));
  return seal(copy);
}

/** DeviceCreateInfo: the queue create infos, the extension names, each feature structure's members, the validation option. */
export function snapshotDeviceCreateInfo(info: unknown): unknown {
  if (!isStructure(info) || snapshots.has(info)) return info;
  const queueCreateInfos = snapshotArgument(info.queueCreateInfos, QUEUE_CREATE_INFOS);
  const names: unknown = info.enabledExtensionNames;
  const features: unknown = info.enabledFeatures;
  const validation: unknown = info.validation;
  const views: unknown = info.views;
  return seal({
    queueCreateInfos,
    enabledExtensionNames: Array.isArray(names)
      ? seal(Array.from({ length: names.length }, (_, i) => names[i] as unknown))
      : names,
    enabledFeatures: isStructure(features)
      ? seal(
          copyOwn(features, (structure) => (isStructure(structure) ? seal(copyOwn(structure, (v) => v)) : structure)),
        )
      : features,
    validation: isStructure(validation) ? seal(copyOwn(validation, (v) => v)) : validation,
    views,
  });
}

function copyOwn(value: Record<string, unknown>, map: (member: unknown) => unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = map(value[key]);
  return copy;
}

// ---- the compute chapters: arguments described by their shape --------------------------------------------

/**
 * How to read an argument of the compute chapters: 'value' as it is (a number, a boolean, a string),
 * 'handle' with `snapshotHandle`, 'words' and 'bytes' as a copy of a Uint32Array or Uint8Array, an array
 * (`[shape]`) element by element, a structure (`{ member: shape }`) member by member. A value of the wrong
 * kind is kept as it is, for the checks to name.
 */
export type Shape = 'value' | 'handle' | 'words' | 'bytes' | readonly [Shape] | { readonly [member: string]: Shape };

/** %TypedArray%.prototype[Symbol.toStringTag]: reads the internal slot, runs no code of the application. */
const typedArrayTag = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  Symbol.toStringTag,
)!.get!;

function copyTypedArray(value: unknown, kind: 'Uint32Array' | 'Uint8Array'): unknown {
  if (!ArrayBuffer.isView(value) || snapshots.has(value) || typedArrayTag.call(value) !== kind) return value;
  // The constructor copies from the internal slots; a typed array of elements cannot be frozen.
  const copy = kind === 'Uint32Array' ? new Uint32Array(value as Uint32Array) : new Uint8Array(value as Uint8Array);
  snapshots.add(copy);
  return copy;
}

/** An argument of the compute chapters read once, by its shape. */
export function snapshotArgument(value: unknown, shape: Shape): unknown {
  if (shape === 'value') return value;
  if (shape === 'handle') return snapshotHandle(value);
  if (shape === 'words') return copyTypedArray(value, 'Uint32Array');
  if (shape === 'bytes') return copyTypedArray(value, 'Uint8Array');
  if (Array.isArray(shape)) {
    if (!Array.isArray(value) || snapshots.has(value)) return value;
    const element = (shape as readonly [Shape])[0];
    const length = value.length;
    const copy: unknown[] = [];
    for (let i = 0; i < length; i++) copy.push(snapshotArgument(value[i], element));
    return seal(copy);
  }
  if (!isStructure(value) || snapshots.has(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [member, inner] of Object.entries(shape as { readonly [member: string]: Shape }))
    copy[member] = snapshotArgument(value[member], inner);
  return seal(copy);
}

const QUEUE_CREATE_INFOS: Shape = [{ queueFamilyIndex: 'value', queuePriorities: ['value'] }];
const HANDLES: Shape = ['handle'];
const BUFFER_INFO: Shape = { buffer: 'handle', offset: 'value', range: 'value' };

/** The shape of each structure (and array) argument of the compute commands, by the parameter it is. */
export const SHAPES = {
  handles: HANDLES,
  numbers: ['value'],
  bufferCreateInfo: { size: 'value', usage: 'value', flags: 'value' },
  shaderModuleCreateInfo: { code: 'words' },
  descriptorSetLayoutCreateInfo: {
    bindings: [{ binding: 'value', descriptorType: 'value', descriptorCount: 'value', stageFlags: 'value' }],
  },
  pipelineLayoutCreateInfo: {
    setLayouts: HANDLES,
    pushConstantRanges: [{ stageFlags: 'value', offset: 'value', size: 'value' }],
  },
  computePipelineCreateInfos: [
    {
      stage: {
        stage: 'value',
        module: 'handle',
        name: 'value',
        specializationInfo: {
          mapEntries: [{ constantID: 'value', offset: 'value', size: 'value' }],
          data: 'bytes',
        },
      },
      layout: 'handle',
    },
  ],
  descriptorPoolCreateInfo: {
    flags: 'value',
    maxSets: 'value',
    poolSizes: [{ type: 'value', descriptorCount: 'value' }],
  },
  descriptorSetAllocateInfo: { descriptorPool: 'handle', setLayouts: HANDLES },
  writeDescriptorSets: [
    {
      dstSet: 'handle',
      dstBinding: 'value',
      dstArrayElement: 'value',
      descriptorType: 'value',
      bufferInfo: [BUFFER_INFO],
    },
  ],
  commandPoolCreateInfo: { flags: 'value', queueFamilyIndex: 'value' },
  commandBufferAllocateInfo: { commandPool: 'handle', commandBufferCount: 'value' },
  commandBufferBeginInfo: { flags: 'value' },
  pipelineBarrierInfo: {
    srcStageMask: 'value',
    dstStageMask: 'value',
    dependencyFlags: 'value',
    memoryBarriers: [{ srcAccessMask: 'value', dstAccessMask: 'value' }],
    bufferMemoryBarriers: [
      { srcAccessMask: 'value', dstAccessMask: 'value', buffer: 'handle', offset: 'value', size: 'value' },
    ],
  },
  bufferCopies: [{ srcOffset: 'value', dstOffset: 'value', size: 'value' }],
  submitInfos: [{ commandBuffers: HANDLES }],
  fenceCreateInfo: { flags: 'value' },
  bytes: 'bytes',
} as const satisfies Record<string, Shape>;
