/**
 * Arguments read once. Each command first copies what it reads of its arguments into a frozen plain
 * snapshot, so that a getter or a Proxy runs exactly once per member, before anything is checked or done;
 * the rules and the command then read only the snapshot. A snapshot is itself a valid argument (the
 * validation layer forwards its snapshot, which the front then takes as it is).
 */
import { DeviceMemoryHandle } from './mapping-objects.js';
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
  if (value instanceof DeviceMemoryHandle || typeof value !== 'object' || value === null || snapshots.has(value))
    return value;
  const { objectType, handle } = value as { objectType?: unknown; handle?: unknown };
  return seal({ objectType, handle });
}

/** A `pNext` chain, copied node by node (one node past the longest chain walked, so that rules see a cycle). */
export function snapshotChain(pNext: unknown): unknown {
  if (!isStructure(pNext) || snapshots.has(pNext)) return pNext;
  const nodes: Record<string, unknown>[] = [];
  let node: unknown = pNext;
  for (let i = 0; i <= MAX_CHAIN_LENGTH && isStructure(node); i++) {
    const copy: Record<string, unknown> = { sType: node.sType };
    for (const member of CHAINED_MEMBERS) if (member in node) copy[member] = node[member];
    const next: unknown = node.pNext;
    nodes.push(copy);
    node = next;
    // A non-structure pNext (garbage) is kept for the rules to report; a chain cut at the cap ends there.
    if (!isStructure(next)) copy.pNext = next;
  }
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (i + 1 < nodes.length) nodes[i]!.pNext = nodes[i + 1];
    seal(nodes[i]!);
  }
  return nodes[0];
}

function snapshotStructure(value: unknown, members: readonly string[], handle: boolean): unknown {
  if (!isStructure(value) || snapshots.has(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const member of members) copy[member] = value[member];
  copy.pNext = snapshotChain(value.pNext);
  if (handle) copy.memory = snapshotHandle(value.memory);
  return seal(copy);
}

export function snapshotAllocateInfo(info: unknown): unknown {
  return snapshotStructure(info, ALLOCATE_INFO, false);
}

export function snapshotMapInfo(info: unknown): unknown {
  return snapshotStructure(info, MAP_INFO, true);
}

export function snapshotUnmapInfo(info: unknown): unknown {
  return snapshotStructure(info, UNMAP_INFO, true);
}

/** pMemoryRanges: the array's length and elements read once, each range copied. */
export function snapshotRanges(ranges: unknown): unknown {
  if (!Array.isArray(ranges) || snapshots.has(ranges)) return ranges;
  const length = ranges.length;
  const copy: unknown[] = [];
  for (let i = 0; i < length; i++) copy.push(snapshotStructure(ranges[i], RANGE, true));
  return seal(copy);
}

/** DeviceCreateInfo: the extension names, each feature structure's members, the validation option. */
export function snapshotDeviceCreateInfo(info: unknown): unknown {
  if (!isStructure(info) || snapshots.has(info)) return info;
  const names: unknown = info.enabledExtensionNames;
  const features: unknown = info.enabledFeatures;
  const validation: unknown = info.validation;
  return seal({
    enabledExtensionNames: Array.isArray(names)
      ? seal(Array.from({ length: names.length }, (_, i) => names[i] as unknown))
      : names,
    enabledFeatures: isStructure(features)
      ? seal(
          copyOwn(features, (structure) => (isStructure(structure) ? seal(copyOwn(structure, (v) => v)) : structure)),
        )
      : features,
    validation: isStructure(validation) ? seal(copyOwn(validation, (v) => v)) : validation,
  });
}

function copyOwn(value: Record<string, unknown>, map: (member: unknown) => unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = map(value[key]);
  return copy;
}
