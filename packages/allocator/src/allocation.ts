import type { DeviceMemory } from '@vkmap/core';
import type { MemoryBlock, MemoryHolder } from './block.js';
import type { BlockVector } from './block-vector.js';
import type { Pool } from './pool.js';

/** The pool (default or custom) an allocation came from. */
export interface AllocationOwner {
  readonly vector: BlockVector;
  readonly dedicated: Set<Allocation>;
  readonly pool: Pool | null;
}

/** Where an allocation lives and how it is mapped; the allocator's modules alone change it. */
export interface AllocationState {
  readonly owner: AllocationOwner;
  readonly holder: MemoryHolder;
  /** The block's own handle of the allocation (blocks only). */
  readonly handle: number;
  readonly block: MemoryBlock | null;
  /** Offset and bytes taken in the memory: `reservedSize` covers whole non-coherent atoms. */
  readonly byteOffset: number;
  readonly byteSize: number;
  readonly reservedSize: number;
  readonly persistentMap: boolean;
  userMapCount: number;
  freed: boolean;
  viewBase: Uint8Array | null;
  view: Uint8Array | null;
}

export const allocationState = Symbol('vkmap.allocationState');

/** A VmaAllocation: a range of device memory handed out by the allocator. */
export class Allocation {
  readonly memory: DeviceMemory;
  readonly memoryTypeIndex: number;
  /** Offset of the allocation in `memory`. */
  readonly offset: bigint;
  /** Requested size. */
  readonly size: bigint;
  readonly isDedicated: boolean;
  readonly pool: Pool | null;
  readonly name: string | undefined;
  userData: unknown;
  /** @internal */
  readonly [allocationState]: AllocationState;

  constructor(init: {
    state: AllocationState;
    memoryTypeIndex: number;
    pool: Pool | null;
    name: string | undefined;
    userData: unknown;
  }) {
    const state = init.state;
    this.memory = state.holder.memory;
    this.memoryTypeIndex = init.memoryTypeIndex;
    this.offset = BigInt(state.byteOffset);
    this.size = BigInt(state.byteSize);
    this.isDedicated = state.block === null;
    this.pool = init.pool;
    this.name = init.name;
    this.userData = init.userData;
    this[allocationState] = state;
  }

  /** Whether it has been freed. */
  get isFreed(): boolean {
    return this[allocationState].freed;
  }

  /** Outstanding `mapMemory` calls on it (the persistent map of MAPPED not counted). */
  get mapCount(): number {
    return this[allocationState].userMapCount;
  }

  get isPersistentlyMapped(): boolean {
    return this[allocationState].persistentMap;
  }

  /**
   * The allocation's bytes while it is mapped (by `mapMemory` or MAPPED), else undefined: a subarray of
   * the block's mapping covering exactly this allocation.
   */
  get mappedData(): Uint8Array | undefined {
    const state = this[allocationState];
    if (state.freed || (state.userMapCount === 0 && !state.persistentMap)) return undefined;
    return viewOf(state);
  }
}

/** The allocation's subarray of its memory's mapping (which must be mapped), reused while the mapping lasts. */
export function viewOf(state: AllocationState): Uint8Array | undefined {
  const mapping = state.holder.mapping;
  if (!mapping.isMapped) return undefined;
  const base = mapping.data;
  if (state.viewBase !== base || state.view === null) {
    state.view = base.subarray(state.byteOffset, state.byteOffset + state.byteSize);
    state.viewBase = base;
  }
  return state.view;
}
