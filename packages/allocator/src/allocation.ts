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

/**
 * Where an allocation lives and how it is mapped; the allocator's modules alone change it. A class, so
 * every state has one shape from its creation (an object literal with a spread took tens of microseconds
 * per allocation on Node 20: V8 built a new map chain for each copy).
 */
export class AllocationState {
  userMapCount = 0;
  freed = false;
  viewBase: Uint8Array | null = null;
  view: Uint8Array | null = null;
  /** Views of this allocation handed out and not yet garbage collected (blocks only; see ViewTracker). */
  liveViews = 0;
  /** Freed while `liveViews` > 0: its range stays taken until the last view is collected. */
  quarantined = false;
  /** The allocator's list of live allocations while this one is in it, and its neighbours there. */
  list: LiveAllocations | null = null;
  previous: AllocationState | null = null;
  next: AllocationState | null = null;
  /** The allocation this is the state of, while it is in the list. */
  allocation: Allocation | null = null;

  constructor(
    readonly owner: AllocationOwner,
    readonly holder: MemoryHolder,
    /** The block's own handle of the allocation (blocks only; -1 for dedicated memory). */
    readonly handle: number,
    readonly block: MemoryBlock | null,
    /** Offset and bytes taken in the memory: `reservedSize` covers whole non-coherent atoms. */
    readonly byteOffset: number,
    readonly byteSize: number,
    readonly reservedSize: number,
    readonly persistentMap: boolean,
    readonly tracker: ViewTracker | null,
  ) {}
}

/**
 * The live allocations of one allocator, in allocation order: a list threaded through their states, so
 * adding and removing one costs a few stores. (A Set costs a runtime call on many deletes: V8 shrinks its
 * table whenever it falls below half full, which an allocate / free pair does every time.)
 */
export class LiveAllocations implements Iterable<Allocation> {
  private head: AllocationState | null = null;
  private tail: AllocationState | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(allocation: Allocation): void {
    const state = allocation[allocationState];
    state.list = this;
    state.allocation = allocation;
    state.previous = this.tail;
    state.next = null;
    if (this.tail === null) this.head = state;
    else this.tail.next = state;
    this.tail = state;
    this.count += 1;
  }

  delete(state: AllocationState): void {
    if (state.list !== this) return;
    const { previous, next } = state;
    if (previous === null) this.head = next;
    else previous.next = next;
    if (next === null) this.tail = previous;
    else next.previous = previous;
    state.list = null;
    state.allocation = null;
    state.previous = null;
    state.next = null;
    this.count -= 1;
  }

  has(state: AllocationState): boolean {
    return state.list === this;
  }

  /** The allocations, oldest first; removing the current one while iterating is allowed. */
  *[Symbol.iterator](): Iterator<Allocation> {
    let state = this.head;
    while (state !== null) {
      const next = state.next;
      yield state.allocation!;
      state = next;
    }
  }
}

/** Learns of every view handed out for a block allocation, so its range outlives them (the quarantine). */
export interface ViewTracker {
  track(view: Uint8Array, state: AllocationState): void;
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
    state.tracker?.track(state.view, state);
  }
  return state.view;
}
