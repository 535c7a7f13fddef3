import {
  VK_WHOLE_SIZE,
  VkBufferUsageFlagBits,
  VkError,
  VkMemoryPropertyFlagBits,
  VkPhysicalDeviceType,
  VkmapArgumentError,
  VkmapStateError,
  alignUp,
  atomRange,
  describeValue,
  toDeviceSize,
  toUint32,
  type Buffer,
  type BufferCreateInfo,
  type Device,
  type DeviceMemory,
  type DeviceSizeInput,
  type MappedMemoryRange,
  type PhysicalDeviceMemoryProperties,
  type PhysicalDeviceProperties,
} from '@vkmap/core';
import {
  Allocation,
  allocationState,
  viewOf,
  AllocationState,
  LiveAllocations,
  type AllocationOwner as Owner,
  type ViewTracker,
} from './allocation.js';
import { DedicatedMemory, type MemoryBlock } from './block.js';
import { BlockVector, type Placement } from './block-vector.js';
import { BudgetTracker, type HeapBudget } from './budget.js';
import type { AllocatorContext } from './context.js';
import { toAlgorithmName } from './create-algorithm.js';
import {
  AllocationCreateFlagBits,
  KNOWN_ALLOCATION_CREATE_FLAGS,
  MemoryUsage,
  type MemoryUsageValue,
} from './create-flags.js';
import { AllocationLeakError, type LeakedAllocation } from './errors.js';
import { MemoryMapping } from './mapping.js';
import { toAlignment, toSafeSize } from './numbers.js';
import { Pool, type PoolCreateInfo } from './pool.js';
import { StatisticsAccumulator, type DetailedStatistics, type TotalStatistics } from './statistics.js';
import { buildStatsJson, type StatsSource } from './stats-json.js';
import { buildStatsSvg, type SvgOptions } from './stats-svg.js';
import { findMemoryTypeIndex, memoryPreferences, propertyFlagNames, type MemoryPreferences } from './type-selection.js';

const { VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT: HOST_VISIBLE, VK_MEMORY_PROPERTY_HOST_COHERENT_BIT: HOST_COHERENT } =
  VkMemoryPropertyFlagBits;

/** Buffer usages that are only transfers: any other bit means the device itself reads or writes the buffer (VMA's rule). */
const TRANSFER_ONLY_USAGE =
  VkBufferUsageFlagBits.VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VkBufferUsageFlagBits.VK_BUFFER_USAGE_TRANSFER_DST_BIT;

const MiB = 1024 * 1024;
/** Heaps up to this size get blocks of an eighth of the heap. */
const SMALL_HEAP_MAX_SIZE = 1024 * MiB;
const DEFAULT_LARGE_HEAP_BLOCK_SIZE = 256 * MiB;

export interface AllocatorCreateInfo {
  /** Block size for heaps above 1 GiB (default 256 MiB); smaller heaps use an eighth of their size. */
  readonly preferredLargeHeapBlockSize?: DeviceSizeInput;
  /** Keep blocks mapped while mapping churns, as VMA does (default true). */
  readonly mappingHysteresis?: boolean;
}

/** VkMemoryRequirements, as vkGet*MemoryRequirements reports them. */
export interface MemoryRequirements {
  readonly size: DeviceSizeInput;
  /** A power of two. */
  readonly alignment: DeviceSizeInput;
  readonly memoryTypeBits: number;
}

/** VmaAllocationCreateInfo. */
export interface AllocationCreateInfo {
  /** `AllocationCreateFlagBits`, or-ed. */
  readonly flags?: number;
  /** Default `MemoryUsage.AUTO`. */
  readonly usage?: MemoryUsageValue;
  readonly requiredFlags?: number;
  readonly preferredFlags?: number;
  /** Further limits the acceptable types (0 or absent: no limit). */
  readonly memoryTypeBits?: number;
  /** Allocate from this custom pool; usage and flags then do not choose the type. */
  readonly pool?: Pool;
  /**
   * Whether the GPU accesses the memory directly, not only by transfers (default true). VMA reads this
   * from the buffer or image usage; with plain memory requirements the caller says it.
   */
  readonly deviceAccess?: boolean;
  readonly name?: string;
  readonly userData?: unknown;
}

/** What `createBuffer` returns: the buffer, bound to the allocation's memory at the allocation's offset. */
export interface BufferAllocation {
  readonly buffer: Buffer;
  readonly allocation: Allocation;
}

export interface AllocatorDestroyOptions {
  /** Free allocations that are still live (and report them) instead of throwing `AllocationLeakError`. */
  readonly freeLeakedAllocations?: boolean;
}

interface AllocationRequest {
  readonly size: number;
  readonly alignment: number;
  readonly flags: number;
  readonly name: string | undefined;
  readonly userData: unknown;
  readonly pool: Pool | null;
  /** What the request asks of a memory type (default pools only). */
  readonly preferences: MemoryPreferences | null;
}

/**
 * A VMA-style allocator over any vkmap `Device`: it picks memory types by cost, sub-allocates blocks
 * with TLSF (or linear, in custom pools), maps each block once for all its allocations, and keeps
 * statistics and budgets. Every call either completes or throws with the allocator unchanged.
 */
export class Allocator {
  readonly device: Device;
  readonly memoryProperties: PhysicalDeviceMemoryProperties;
  readonly physicalDeviceProperties: PhysicalDeviceProperties;
  private readonly context: AllocatorContext;
  private readonly budget: BudgetTracker;
  private readonly defaultVectors: BlockVector[];
  private readonly defaultDedicated: Set<Allocation>[];
  /** Per memory type, the owner of allocations from its default pool (one object, not one per allocation). */
  private readonly defaultOwners: Owner[];
  private readonly pools: Pool[] = [];
  private readonly live = new LiveAllocations();
  /** The buffer `createBuffer` bound to each of its allocations, so `destroyBuffer` can refuse a wrong pair. */
  private readonly boundBuffers = new WeakMap<Allocation, Buffer>();
  private readonly atomSize: number;
  private readonly isIntegratedGpu: boolean;
  private nextPoolId = 0;
  private frameIndex = 0;
  private destroyed = false;

  constructor(device: Device, info: AllocatorCreateInfo = {}) {
    if (typeof device !== 'object' || device === null || typeof device.allocateMemory !== 'function') {
      throw new VkmapArgumentError('device', `must be a vkmap Device (got ${describeValue(device)})`);
    }
    if (device.isDestroyed) throw new VkmapStateError('createAllocator: the device has been destroyed');
    this.device = device;
    this.memoryProperties = device.physicalDevice.getMemoryProperties();
    this.physicalDeviceProperties = device.physicalDevice.getProperties();
    this.isIntegratedGpu =
      this.physicalDeviceProperties.deviceType === VkPhysicalDeviceType.VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU;
    this.atomSize = Number(this.physicalDeviceProperties.limits.nonCoherentAtomSize);
    const largeHeapBlockSize =
      info.preferredLargeHeapBlockSize === undefined
        ? DEFAULT_LARGE_HEAP_BLOCK_SIZE
        : toSafeSize(info.preferredLargeHeapBlockSize, 'preferredLargeHeapBlockSize');
    if (largeHeapBlockSize === 0) throw new VkmapArgumentError('preferredLargeHeapBlockSize', 'must be greater than 0');
    this.budget = new BudgetTracker(device, this.memoryProperties);
    let blockId = 0;
    this.context = {
      device,
      memoryProperties: this.memoryProperties,
      budget: this.budget,
      mappingHysteresis: info.mappingHysteresis ?? true,
      nextBlockId: () => blockId++,
    };
    this.defaultVectors = this.memoryProperties.memoryTypes.map(
      (_type, index) =>
        new BlockVector(this.context, {
          memoryTypeIndex: index,
          preferredBlockSize: this.preferredBlockSize(index, largeHeapBlockSize),
          explicitBlockSize: false,
          algorithm: 'tlsf',
          minBlockCount: 0,
          maxBlockCount: Infinity,
        }),
    );
    this.defaultDedicated = this.memoryProperties.memoryTypes.map(() => new Set<Allocation>());
    this.defaultOwners = this.defaultVectors.map((vector, type) => ({
      vector,
      dedicated: this.defaultDedicated[type]!,
      pool: null,
    }));
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Live allocations. */
  get allocationCount(): number {
    return this.live.size;
  }

  /** The memory type `allocateMemory` would try first (vmaFindMemoryTypeIndex). */
  findMemoryTypeIndex(memoryTypeBits: number, info: AllocationCreateInfo = {}): number {
    this.assertAlive('findMemoryTypeIndex');
    const bits = toUint32(memoryTypeBits, 'memoryTypeBits') & this.typeMask(info);
    const preferences = this.preferencesOf(info);
    const index = findMemoryTypeIndex(this.memoryProperties, bits, preferences);
    if (index === -1) throw this.noSuitableType('findMemoryTypeIndex', bits, preferences);
    return index;
  }

  /**
   * Allocates memory for `requirements` (vmaAllocateMemory). Tries memory types from the cheapest; when
   * one fails (out of memory, too many objects) the next one is tried, and a request that no type can
   * satisfy throws `VkError` with the backend's result and every attempt in its message.
   */
  allocateMemory(requirements: MemoryRequirements, info: AllocationCreateInfo = {}): Allocation {
    return this.allocate(requirements, info, undefined);
  }

  /** `allocateMemory`, with `deviceAccess` given apart from `info` (createBuffer: no copy of `info`). */
  private allocate(
    requirements: MemoryRequirements,
    info: AllocationCreateInfo,
    deviceAccess: boolean | undefined,
  ): Allocation {
    this.assertAlive('allocateMemory');
    if (typeof requirements !== 'object' || requirements === null) {
      throw new VkmapArgumentError('requirements', 'must be an object with size, alignment and memoryTypeBits');
    }
    if (typeof info !== 'object' || info === null)
      throw new VkmapArgumentError('info', 'must be an AllocationCreateInfo object');
    const request = this.requestOf(requirements, info, deviceAccess);
    const memoryTypeBits = toUint32(requirements.memoryTypeBits, 'requirements.memoryTypeBits') & this.typeMask(info);

    if (request.pool) {
      const pool = request.pool;
      if (((memoryTypeBits >>> pool.memoryTypeIndex) & 1) === 0) {
        throw new VkError(
          'allocateMemory',
          'VK_ERROR_FEATURE_NOT_PRESENT',
          `pool ${pool.label} uses memory type ${pool.memoryTypeIndex}, which memoryTypeBits 0x${memoryTypeBits.toString(16)} does not allow`,
        );
      }
      return this.allocateOfType(pool.memoryTypeIndex, request, {
        vector: pool.blockVector,
        dedicated: pool.dedicated,
        pool,
      });
    }

    const preferences = request.preferences!;
    let remaining = memoryTypeBits;
    let failures: string[] | undefined;
    let lastError: VkError | undefined;
    for (;;) {
      const type = findMemoryTypeIndex(this.memoryProperties, remaining, preferences);
      if (type === -1) break;
      try {
        return this.allocateOfType(type, request, this.defaultOwners[type]!);
      } catch (error) {
        if (!(error instanceof VkError)) throw error;
        lastError = error;
        (failures ??= []).push(
          `memory type ${type} (${propertyFlagNames(this.memoryProperties.memoryTypes[type]!.propertyFlags).join('|') || 'no flags'}): ${error.message}`,
        );
        remaining &= ~(1 << type);
      }
    }
    if (!lastError) throw this.noSuitableType('allocateMemory', memoryTypeBits, preferences);
    const error = new VkError(
      'allocateMemory',
      lastError.code,
      `${request.size} bytes${request.name ? ` for ${JSON.stringify(request.name)}` : ''} could not be allocated in any suitable memory type:\n  ${failures!.join('\n  ')}`,
    );
    (error as Error & { cause?: unknown }).cause = lastError;
    throw error;
  }

  /** Frees an allocation (vmaFreeMemory); `null` does nothing. Throws, changing nothing, while it is still mapped. */
  freeMemory(allocation: Allocation | null): void {
    this.assertAlive('freeMemory');
    if (allocation === null || allocation === undefined) return;
    const state = this.liveState(allocation, 'freeMemory');
    if (state.userMapCount > 0) {
      throw new VkmapStateError(
        `freeMemory: ${this.describe(allocation)} is still mapped (${state.userMapCount} mapMemory call${state.userMapCount === 1 ? '' : 's'} without unmapMemory); unmap it before freeing it, so no view outlives the memory`,
      );
    }
    this.release(allocation);
  }

  /**
   * Maps an allocation (vmaMapMemory) and returns its bytes: a view of exactly the allocation, over the
   * block's single mapping. Calls nest: each needs an `unmapMemory`. A failed map changes nothing.
   */
  mapMemory(allocation: Allocation): Uint8Array {
    this.assertAlive('mapMemory');
    const state = this.liveState(allocation, 'mapMemory');
    this.requireHostVisible(allocation, 'mapMemory');
    state.holder.mapping.acquire();
    state.userMapCount += 1;
    return viewOf(state)!;
  }

  /** `mapMemory` for the allocator's own use: its view never leaves the call, so it is not tracked. */
  private mapInternally(allocation: Allocation, command: string): Uint8Array {
    this.assertAlive(command);
    const state = this.liveState(allocation, command);
    this.requireHostVisible(allocation, command);
    const data = state.holder.mapping.acquire();
    state.userMapCount += 1;
    return data.subarray(state.byteOffset, state.byteOffset + state.byteSize);
  }

  /** Ends one `mapMemory` (vmaUnmapMemory). Unmapping more often than mapping throws. */
  unmapMemory(allocation: Allocation): void {
    this.assertAlive('unmapMemory');
    const state = this.liveState(allocation, 'unmapMemory');
    if (state.userMapCount === 0) {
      const persistent = state.persistentMap ? ' (its persistent MAPPED mapping is not undone by unmapMemory)' : '';
      throw new VkmapStateError(
        `unmapMemory: ${this.describe(allocation)} is not mapped: every mapMemory has already been matched by an unmapMemory${persistent}`,
      );
    }
    state.userMapCount -= 1;
    state.holder.mapping.release();
  }

  /**
   * Flushes host writes of [offset, offset + size) of the allocation (vmaFlushAllocation): rounded out to
   * nonCoherentAtomSize, clamped to the allocation's atoms and the memory, skipped for coherent types.
   */
  flushAllocation(allocation: Allocation, offset: DeviceSizeInput = 0, size: DeviceSizeInput = VK_WHOLE_SIZE): void {
    this.flushOrInvalidate('flush', [allocation], [offset], [size]);
  }

  /** Makes device writes visible to the host (vmaInvalidateAllocation); same rounding as flush. */
  invalidateAllocation(
    allocation: Allocation,
    offset: DeviceSizeInput = 0,
    size: DeviceSizeInput = VK_WHOLE_SIZE,
  ): void {
    this.flushOrInvalidate('invalidate', [allocation], [offset], [size]);
  }

  /** Flushes several allocations in one driver call (vmaFlushAllocations); offsets default to 0, sizes to the whole allocation. */
  flushAllocations(
    allocations: readonly Allocation[],
    offsets?: readonly DeviceSizeInput[],
    sizes?: readonly DeviceSizeInput[],
  ): void {
    this.flushOrInvalidate('flush', allocations, offsets, sizes);
  }

  invalidateAllocations(
    allocations: readonly Allocation[],
    offsets?: readonly DeviceSizeInput[],
    sizes?: readonly DeviceSizeInput[],
  ): void {
    this.flushOrInvalidate('invalidate', allocations, offsets, sizes);
  }

  /** Maps, copies `source` to the allocation at `offset`, flushes, and unmaps, also when a step fails (vmaCopyMemoryToAllocation). */
  copyMemoryToAllocation(source: Uint8Array, allocation: Allocation, offset: DeviceSizeInput = 0): void {
    this.assertAlive('copyMemoryToAllocation');
    if (!(source instanceof Uint8Array))
      throw new VkmapArgumentError('source', `must be a Uint8Array (got ${describeValue(source)})`);
    const start = this.rangeInAllocation(allocation, offset, source.length, 'copyMemoryToAllocation');
    const view = this.mapInternally(allocation, 'copyMemoryToAllocation');
    try {
      view.set(source, start);
      this.flushAllocation(allocation, start, source.length);
    } finally {
      this.unmapMemory(allocation);
    }
  }

  /** Maps, invalidates, copies from the allocation at `offset` into `destination`, and unmaps, also on failure (vmaCopyAllocationToMemory). */
  copyAllocationToMemory(allocation: Allocation, offset: DeviceSizeInput, destination: Uint8Array): void {
    this.assertAlive('copyAllocationToMemory');
    if (!(destination instanceof Uint8Array))
      throw new VkmapArgumentError('destination', `must be a Uint8Array (got ${describeValue(destination)})`);
    const start = this.rangeInAllocation(allocation, offset, destination.length, 'copyAllocationToMemory');
    const view = this.mapInternally(allocation, 'copyAllocationToMemory');
    try {
      this.invalidateAllocation(allocation, start, destination.length);
      destination.set(view.subarray(start, start + destination.length));
    } finally {
      this.unmapMemory(allocation);
    }
  }

  /**
   * Creates a buffer with memory of its own choosing, bound (vmaCreateBuffer): vkCreateBuffer, the buffer's
   * memory requirements, an allocation as `allocateMemory` makes it from `requirements.memoryTypeBits` and
   * `info`, and vkBindBufferMemory at the allocation's offset (aligned to the requirements' alignment, and to
   * nonCoherentAtomSize in non-coherent memory). Whether the device uses the buffer itself comes from its
   * usage, as in VMA: any bit but TRANSFER_SRC and TRANSFER_DST (so `info.deviceAccess` must be left out).
   * With MAPPED the allocation's `mappedData` is the buffer's bytes from its offset 0, for the buffer's life.
   * A failure at any step leaves nothing behind: the allocation is freed and the buffer destroyed.
   */
  createBuffer(bufferCreateInfo: BufferCreateInfo, info: AllocationCreateInfo = {}): BufferAllocation {
    this.assertAlive('createBuffer');
    if (typeof bufferCreateInfo !== 'object' || bufferCreateInfo === null) {
      throw new VkmapArgumentError(
        'pBufferCreateInfo',
        `must be a BufferCreateInfo object (got ${describeValue(bufferCreateInfo)})`,
      );
    }
    if (typeof info !== 'object' || info === null)
      throw new VkmapArgumentError('pAllocationCreateInfo', 'must be an AllocationCreateInfo object');
    if (info.deviceAccess !== undefined) {
      throw new VkmapArgumentError(
        'pAllocationCreateInfo.deviceAccess',
        'createBuffer reads whether the device uses the buffer from its usage (any bit but TRANSFER_SRC and TRANSFER_DST), as VMA does; leave deviceAccess out',
      );
    }
    if (info.pool === undefined) this.preferencesOf(info); // argument errors before anything is created
    const buffer = this.device.createBuffer(bufferCreateInfo);
    let allocation: Allocation | undefined;
    try {
      const requirements = this.device.getBufferMemoryRequirements(buffer);
      allocation = this.allocate(requirements, info, (buffer.usage & ~TRANSFER_ONLY_USAGE) !== 0);
      this.device.bindBufferMemory(buffer, allocation.memory, allocation.offset);
    } catch (error) {
      try {
        if (allocation) this.freeMemory(allocation);
      } finally {
        this.device.destroyBuffer(buffer);
      }
      throw error;
    }
    this.boundBuffers.set(allocation, buffer);
    return { buffer, allocation };
  }

  /**
   * Destroys a buffer and frees its allocation (vmaDestroyBuffer); either may be `null`. Checked before
   * anything changes: the allocation must be live and not mapped by `mapMemory`, and must be the one
   * `createBuffer` bound `buffer` to (when it came from `createBuffer`). vkDestroyBuffer refuses a buffer that
   * pending work uses, and the allocation is then left as it was.
   */
  destroyBuffer(buffer: Buffer | null, allocation: Allocation | null): void {
    this.assertAlive('destroyBuffer');
    if (allocation !== null && allocation !== undefined) {
      const state = this.liveState(allocation, 'destroyBuffer');
      if (state.userMapCount > 0) {
        throw new VkmapStateError(
          `destroyBuffer: ${this.describe(allocation)} is still mapped (${state.userMapCount} mapMemory call${state.userMapCount === 1 ? '' : 's'} without unmapMemory); unmap it first, so no view outlives the memory`,
        );
      }
      const bound = this.boundBuffers.get(allocation);
      if (bound !== undefined && buffer !== null && buffer !== undefined && bound !== buffer) {
        throw new VkmapArgumentError(
          'buffer',
          `${bufferName(buffer)} is not the buffer createBuffer bound to ${this.describe(allocation)}, which is ${bufferName(bound)}`,
        );
      }
    }
    if (buffer !== null && buffer !== undefined) this.device.destroyBuffer(buffer);
    if (allocation !== null && allocation !== undefined) {
      this.boundBuffers.delete(allocation);
      this.release(allocation);
    }
  }

  /** Creates a custom pool (vmaCreatePool), with its minimum blocks. */
  createPool(info: PoolCreateInfo): Pool {
    this.assertAlive('createPool');
    if (typeof info !== 'object' || info === null)
      throw new VkmapArgumentError('pCreateInfo', 'must be a PoolCreateInfo object');
    const types = this.memoryProperties.memoryTypes;
    const type = toUint32(info.memoryTypeIndex, 'pCreateInfo.memoryTypeIndex');
    if (type >= types.length) {
      throw new VkmapArgumentError(
        'pCreateInfo.memoryTypeIndex',
        `must be below the memory type count ${types.length} (got ${type})`,
      );
    }
    const algorithm = toAlgorithmName(info.algorithm, 'pCreateInfo.algorithm');
    const explicit = info.blockSize !== undefined && info.blockSize !== 0 && info.blockSize !== 0n;
    const blockSize = explicit
      ? toSafeSize(info.blockSize, 'pCreateInfo.blockSize')
      : this.defaultVectors[type]!.preferredBlockSize;
    const minBlockCount =
      info.minBlockCount === undefined ? 0 : toUint32(info.minBlockCount, 'pCreateInfo.minBlockCount');
    const maxBlockCount =
      info.maxBlockCount === undefined || info.maxBlockCount === 0
        ? Infinity
        : toUint32(info.maxBlockCount, 'pCreateInfo.maxBlockCount');
    if (minBlockCount > maxBlockCount) {
      throw new VkmapArgumentError(
        'pCreateInfo.minBlockCount',
        `${minBlockCount} is above maxBlockCount ${maxBlockCount}`,
      );
    }
    if (info.name !== undefined && typeof info.name !== 'string')
      throw new VkmapArgumentError('pCreateInfo.name', 'must be a string');
    const vector = new BlockVector(this.context, {
      memoryTypeIndex: type,
      preferredBlockSize: blockSize,
      explicitBlockSize: explicit,
      algorithm,
      minBlockCount,
      maxBlockCount,
    });
    vector.createMinimumBlocks();
    const pool = new Pool(this.nextPoolId++, info.name, type, algorithm, vector);
    this.pools.push(pool);
    return pool;
  }

  /** Destroys a custom pool; throws `AllocationLeakError`, changing nothing, while it has live allocations. */
  destroyPool(pool: Pool): void {
    this.assertAlive('destroyPool');
    this.requirePool(pool, 'destroyPool');
    const leaks = [...this.live]
      .filter((allocation) => allocation.pool === pool)
      .map((allocation) => this.leakOf(allocation));
    if (leaks.length > 0)
      throw new AllocationLeakError(`destroyPool: pool ${pool.label}`, leaks, 'free them before destroying the pool');
    pool.blockVector.destroyAll();
    pool.destroyed = true;
    this.pools.splice(this.pools.indexOf(pool), 1);
  }

  /** Custom pools alive now. */
  get customPools(): readonly Pool[] {
    return [...this.pools];
  }

  /**
   * Per-heap usage and budget (vmaGetHeapBudgets): this allocator's own accounting, and the device's
   * VK_EXT_memory_budget figures fetched for this call. The allocator's own checks (the release of an
   * emptied block) use figures cached between fetches instead, so allocating and freeing never waits for
   * the driver; see `setCurrentFrameIndex`.
   */
  getHeapBudgets(): HeapBudget[] {
    this.assertAlive('getHeapBudgets');
    return this.budget.getHeapBudgets();
  }

  /** The frame index last given to `setCurrentFrameIndex` (0 before). */
  get currentFrameIndex(): number {
    return this.frameIndex;
  }

  /**
   * Tells the allocator a new frame began (vmaSetCurrentFrameIndex): it fetches the device's
   * VK_EXT_memory_budget figures now. Between fetches (every 30 allocations and frees, after driver
   * allocations, and at calls like this one) its own checks use the cached figures moved by its own block
   * bytes, as VMA does.
   */
  setCurrentFrameIndex(frameIndex: number): void {
    this.assertAlive('setCurrentFrameIndex');
    this.frameIndex = toUint32(frameIndex, 'frameIndex');
    this.budget.refresh();
  }

  /** Walks every block (vmaCalculateStatistics). */
  calculateStatistics(): TotalStatistics {
    this.assertAlive('calculateStatistics');
    const types = this.memoryProperties.memoryTypes.map(() => new StatisticsAccumulator());
    for (const vector of this.allVectors()) {
      for (const block of vector.blocks)
        types[block.memoryTypeIndex]!.addBlockContents(block.metadata, (_handle, size) => size, block.quarantine);
    }
    for (const allocation of this.live) {
      const state = allocation[allocationState];
      if (state.block !== null) continue;
      types[allocation.memoryTypeIndex]!.addBlock(state.holder.size);
      types[allocation.memoryTypeIndex]!.addAllocation(state.reservedSize);
    }
    const heaps = this.memoryProperties.memoryHeaps.map(() => new StatisticsAccumulator());
    const total = new StatisticsAccumulator();
    types.forEach((stats, index) => {
      heaps[this.memoryProperties.memoryTypes[index]!.heapIndex]!.merge(stats);
      total.merge(stats);
    });
    return {
      memoryType: types.map((stats) => stats.toDetailed()),
      memoryHeap: heaps.map((stats) => stats.toDetailed()),
      total: total.toDetailed(),
    };
  }

  /** Statistics of one custom pool (vmaCalculatePoolStatistics). */
  calculatePoolStatistics(pool: Pool): DetailedStatistics {
    this.assertAlive('calculatePoolStatistics');
    this.requirePool(pool, 'calculatePoolStatistics');
    const stats = new StatisticsAccumulator();
    for (const block of pool.blockVector.blocks)
      stats.addBlockContents(block.metadata, (_handle, size) => size, block.quarantine);
    for (const allocation of pool.dedicated) {
      stats.addBlock(allocation[allocationState].holder.size);
      stats.addAllocation(allocation[allocationState].reservedSize);
    }
    return stats.toDetailed();
  }

  /** JSON in the layout of vmaBuildStatsString; `detailedMap` adds every block's allocations. */
  buildStatsString(detailedMap = true): string {
    this.assertAlive('buildStatsString');
    return buildStatsJson(this.statsSource(), detailedMap);
  }

  /** An SVG picture of every block: allocations and free ranges to scale. */
  buildStatsSvg(options?: SvgOptions): string {
    this.assertAlive('buildStatsSvg');
    return buildStatsSvg(this.statsSource(), options);
  }

  /**
   * Destroys the allocator and frees its blocks. While allocations are live it throws
   * `AllocationLeakError` listing them and changes nothing, unless `freeLeakedAllocations` is set: then
   * they are freed (views detached) and returned.
   */
  destroy(options: AllocatorDestroyOptions = {}): LeakedAllocation[] {
    this.assertAlive('destroy');
    const leaks = [...this.live].map((allocation) => this.leakOf(allocation));
    if (leaks.length > 0 && !options.freeLeakedAllocations) {
      throw new AllocationLeakError(
        'destroy: the allocator',
        leaks,
        'free them first, or pass { freeLeakedAllocations: true }',
      );
    }
    for (const allocation of [...this.live]) {
      const state = allocation[allocationState];
      while (state.userMapCount > 0) {
        state.userMapCount -= 1;
        state.holder.mapping.release();
      }
      this.release(allocation);
    }
    for (const pool of [...this.pools]) {
      pool.blockVector.destroyAll();
      pool.destroyed = true;
    }
    this.pools.length = 0;
    for (const vector of this.defaultVectors) vector.destroyAll();
    this.destroyed = true;
    return leaks;
  }

  /** How many times the driver mapped memory for this allocation's block, for diagnostics and tests. */
  driverMapCountOf(allocation: Allocation): number {
    return this.liveState(allocation, 'driverMapCountOf').holder.mapping.driverMapCount;
  }

  // --- allocation internals ---

  /**
   * Every view handed out for a block allocation is registered here; when the last view of a quarantined
   * allocation is collected, its range is freed at last (unless its block or the allocator is gone).
   */
  private readonly viewTracker: ViewTracker = (() => {
    const registry = new FinalizationRegistry<AllocationState>((state) => {
      state.liveViews -= 1;
      if (state.liveViews === 0 && state.quarantined) this.endQuarantine(state);
    });
    return {
      track(view: Uint8Array, state: AllocationState): void {
        state.liveViews += 1;
        registry.register(view, state);
      },
    };
  })();

  private endQuarantine(state: AllocationState): void {
    state.quarantined = false;
    const block = state.block!;
    if (this.destroyed || block.destroyed || !block.quarantine.delete(state.handle)) return;
    state.owner.vector.free(block, state.handle);
    this.budget.removeAllocation(block.memoryTypeIndex, state.reservedSize);
  }

  private allocateOfType(type: number, request: AllocationRequest, owner: Owner): Allocation {
    const propertyFlags = this.memoryProperties.memoryTypes[type]!.propertyFlags;
    const nonCoherent = (propertyFlags & (HOST_VISIBLE | HOST_COHERENT)) === HOST_VISIBLE;
    // A non-coherent allocation owns whole atoms, so flushing it never touches a neighbour's bytes.
    const atom = nonCoherent ? this.atomSize : 1;
    const alignment = Math.max(request.alignment, atom);
    const reserved = alignUp(request.size, atom);
    const flags = request.flags;
    const neverAllocate = (flags & AllocationCreateFlagBits.NEVER_ALLOCATE) !== 0;
    const dedicatedRequired = (flags & AllocationCreateFlagBits.DEDICATED_MEMORY) !== 0;
    // Custom pools keep to their blocks unless dedicated memory is asked for.
    const dedicatedPreferred =
      dedicatedRequired || (owner.pool === null && reserved > owner.vector.preferredBlockSize / 2);
    const withinBudget = (flags & AllocationCreateFlagBits.WITHIN_BUDGET) !== 0;

    let allocation: Allocation;
    if (dedicatedPreferred && !neverAllocate) {
      try {
        allocation = this.allocateDedicated(type, request, reserved, withinBudget, owner);
      } catch (error) {
        if (dedicatedRequired || !(error instanceof VkError) || reserved > owner.vector.preferredBlockSize) throw error;
        allocation = this.allocateInBlock(type, request, reserved, alignment, owner);
      }
    } else {
      try {
        allocation = this.allocateInBlock(type, request, reserved, alignment, owner);
      } catch (error) {
        // Default pools fall back to own memory when blocks cannot take the request.
        if (neverAllocate || owner.pool !== null || !(error instanceof VkError)) throw error;
        allocation = this.allocateDedicated(type, request, reserved, withinBudget, owner);
      }
    }
    if (allocation[allocationState].persistentMap) {
      try {
        allocation[allocationState].holder.mapping.acquire();
      } catch (error) {
        this.release(allocation, true);
        throw error;
      }
    }
    return allocation;
  }

  private allocateInBlock(
    type: number,
    request: AllocationRequest,
    reserved: number,
    alignment: number,
    owner: Owner,
  ): Allocation {
    const flags = request.flags;
    const upperAddress = (flags & AllocationCreateFlagBits.UPPER_ADDRESS) !== 0;
    if (
      upperAddress &&
      (owner.pool === null || owner.pool.algorithm !== 'linear' || owner.vector.config.maxBlockCount !== 1)
    ) {
      throw new VkmapArgumentError(
        'flags',
        'UPPER_ADDRESS needs a custom pool with algorithm "linear" and maxBlockCount 1 (a double stack)',
      );
    }
    const placement: Placement = owner.vector.allocate({
      size: reserved,
      alignment,
      upperAddress,
      neverAllocate: (flags & AllocationCreateFlagBits.NEVER_ALLOCATE) !== 0,
      withinBudget: (flags & AllocationCreateFlagBits.WITHIN_BUDGET) !== 0,
    });
    return this.register(
      type,
      request,
      reserved,
      owner,
      placement.block,
      placement.handle,
      placement.block,
      placement.offset,
    );
  }

  private allocateDedicated(
    type: number,
    request: AllocationRequest,
    reserved: number,
    withinBudget: boolean,
    owner: Owner,
  ): Allocation {
    // Fresh figures: this check guards a driver allocation, which costs more than fetching them.
    if (withinBudget && !this.budget.fitsBudget(type, reserved, true)) {
      throw new VkError(
        'vkAllocateMemory',
        'VK_ERROR_OUT_OF_DEVICE_MEMORY',
        `WITHIN_BUDGET is set and ${reserved} bytes of dedicated memory would exceed the budget of heap ${this.budget.heapOf(type)}`,
      );
    }
    let memory: DeviceMemory;
    try {
      memory = this.device.allocateMemory({ allocationSize: reserved, memoryTypeIndex: type });
    } catch (error) {
      this.budget.driverAllocationFailed();
      throw error;
    }
    const holder = new DedicatedMemory(
      memory,
      type,
      reserved,
      new MemoryMapping(this.device, memory, this.context.mappingHysteresis),
    );
    this.budget.addBlock(type, reserved);
    const allocation = this.register(type, request, reserved, owner, holder, -1, null, 0);
    owner.dedicated.add(allocation);
    return allocation;
  }

  private register(
    type: number,
    request: AllocationRequest,
    reserved: number,
    owner: Owner,
    holder: AllocationState['holder'],
    handle: number,
    block: MemoryBlock | null,
    byteOffset: number,
  ): Allocation {
    const state = new AllocationState(
      owner,
      holder,
      handle,
      block,
      byteOffset,
      request.size,
      reserved,
      // In a type that is not host-visible (allowed by HOST_ACCESS_ALLOW_TRANSFER_INSTEAD) MAPPED maps nothing, as in VMA.
      (request.flags & AllocationCreateFlagBits.MAPPED) !== 0 &&
        (this.memoryProperties.memoryTypes[type]!.propertyFlags & HOST_VISIBLE) !== 0,
      // Dedicated memory is never shared: freeing it gives no other allocation its bytes.
      block !== null ? this.viewTracker : null,
    );
    const allocation = new Allocation({
      state,
      memoryTypeIndex: type,
      pool: owner.pool,
      name: request.name,
      userData: request.userData,
    });
    this.live.add(allocation);
    this.budget.addAllocation(type, reserved);
    return allocation;
  }

  /**
   * Gives an allocation's memory back; it must not be user-mapped. A block allocation with views handed
   * out that may still be alive goes into quarantine instead: its range stays taken (and counted in the
   * budget) until the last of those views is garbage collected, so a stale view never reaches the bytes
   * of an allocation placed there later.
   */
  private release(allocation: Allocation, skipPersistentUnmap = false): void {
    const state = allocation[allocationState];
    if (state.persistentMap && !skipPersistentUnmap) state.holder.mapping.release();
    if (state.block !== null) {
      if (state.liveViews > 0) {
        state.quarantined = true;
        state.block.quarantine.set(state.handle, state);
      } else {
        state.owner.vector.free(state.block, state.handle);
        this.budget.removeAllocation(allocation.memoryTypeIndex, state.reservedSize);
      }
    } else {
      state.holder.mapping.dispose();
      this.device.freeMemory(state.holder.memory);
      this.budget.removeBlock(allocation.memoryTypeIndex, state.holder.size);
      state.owner.dedicated.delete(allocation);
      this.budget.removeAllocation(allocation.memoryTypeIndex, state.reservedSize);
    }
    state.freed = true;
    state.view = null;
    state.viewBase = null;
    this.live.delete(state);
  }

  private requestOf(
    requirements: MemoryRequirements,
    info: AllocationCreateInfo,
    deviceAccess: boolean | undefined,
  ): AllocationRequest {
    const size = toSafeSize(requirements.size, 'requirements.size');
    if (size === 0) throw new VkmapArgumentError('requirements.size', 'must be greater than 0');
    const alignment = toAlignment(requirements.alignment, 'requirements.alignment');
    const flags = info.flags === undefined ? 0 : toUint32(info.flags, 'info.flags');
    if (flags & ~KNOWN_ALLOCATION_CREATE_FLAGS) {
      throw new VkmapArgumentError(
        'info.flags',
        `has bits 0x${(flags & ~KNOWN_ALLOCATION_CREATE_FLAGS).toString(16)} that are not AllocationCreateFlagBits`,
      );
    }
    if (flags & AllocationCreateFlagBits.DEDICATED_MEMORY && flags & AllocationCreateFlagBits.NEVER_ALLOCATE) {
      throw new VkmapArgumentError(
        'info.flags',
        'DEDICATED_MEMORY and NEVER_ALLOCATE exclude each other: dedicated memory is always a new allocation',
      );
    }
    if (info.name !== undefined && typeof info.name !== 'string')
      throw new VkmapArgumentError('info.name', 'must be a string');
    const pool = info.pool ?? null;
    if (pool !== null) this.requirePool(pool, 'allocateMemory');
    // Validates usage and flag combinations before anything is allocated.
    const preferences = pool === null ? this.preferencesOf(info, deviceAccess) : null;
    return { size, alignment, flags, name: info.name, userData: info.userData, pool, preferences };
  }

  /** `deviceAccess`, where given, overrides `info.deviceAccess`. */
  private preferencesOf(info: AllocationCreateInfo, deviceAccess?: boolean): MemoryPreferences {
    return memoryPreferences({
      usage: info.usage ?? MemoryUsage.AUTO,
      flags: info.flags ?? 0,
      requiredFlags: info.requiredFlags === undefined ? 0 : toUint32(info.requiredFlags, 'info.requiredFlags'),
      preferredFlags: info.preferredFlags === undefined ? 0 : toUint32(info.preferredFlags, 'info.preferredFlags'),
      deviceAccess: deviceAccess ?? info.deviceAccess ?? true,
      isIntegratedGpu: this.isIntegratedGpu,
    });
  }

  private typeMask(info: AllocationCreateInfo): number {
    const bits = info.memoryTypeBits === undefined ? 0 : toUint32(info.memoryTypeBits, 'info.memoryTypeBits');
    return bits === 0 ? 0xffffffff : bits;
  }

  private noSuitableType(command: string, memoryTypeBits: number, preferences: MemoryPreferences): VkError {
    const types = this.memoryProperties.memoryTypes
      .map(
        (type, index) =>
          `${index}: ${propertyFlagNames(type.propertyFlags).join('|') || 'no flags'}${(memoryTypeBits >>> index) & 1 ? '' : ' (excluded by memoryTypeBits)'}`,
      )
      .join('; ');
    return new VkError(
      command,
      'VK_ERROR_FEATURE_NOT_PRESENT',
      `no memory type allowed by memoryTypeBits 0x${(memoryTypeBits >>> 0).toString(16)} has the required flags ${propertyFlagNames(preferences.required).join('|') || '(none)'}; the device's types are ${types}`,
    );
  }

  // --- flush and invalidate ---

  private flushOrInvalidate(
    kind: 'flush' | 'invalidate',
    allocations: readonly Allocation[],
    offsets: readonly DeviceSizeInput[] | undefined,
    sizes: readonly DeviceSizeInput[] | undefined,
  ): void {
    const command = kind === 'flush' ? 'flushAllocations' : 'invalidateAllocations';
    this.assertAlive(command);
    if (!Array.isArray(allocations))
      throw new VkmapArgumentError(
        'allocations',
        `must be an array of allocations (got ${describeValue(allocations)})`,
      );
    const ranges: MappedMemoryRange[] = [];
    const atom = BigInt(this.atomSize);
    allocations.forEach((allocation, index) => {
      const state = this.liveState(allocation, command);
      const name = `allocations[${index}]`;
      const offset = toDeviceSize(offsets?.[index] ?? 0, `offsets[${index}]`);
      const requested = toDeviceSize(sizes?.[index] ?? VK_WHOLE_SIZE, `sizes[${index}]`);
      if (offset > allocation.size)
        throw new VkmapArgumentError(
          `offsets[${index}]`,
          `${offset} is past the end of ${name} (${allocation.size} bytes)`,
        );
      const size = requested === VK_WHOLE_SIZE ? allocation.size - offset : requested;
      if (offset + size > allocation.size) {
        throw new VkmapArgumentError(
          `sizes[${index}]`,
          `offset ${offset} + size ${size} runs past the end of ${name} (${allocation.size} bytes)`,
        );
      }
      const propertyFlags = this.memoryProperties.memoryTypes[allocation.memoryTypeIndex]!.propertyFlags;
      if ((propertyFlags & (HOST_VISIBLE | HOST_COHERENT)) !== HOST_VISIBLE || size === 0n) return;
      if (!state.holder.mapping.isMapped) {
        throw new VkmapStateError(
          `${command}: ${this.describe(allocation)} is not mapped; ${kind} it while it is mapped (mapMemory or MAPPED)`,
        );
      }
      const start = BigInt(state.byteOffset) + offset;
      const allocationEnd = BigInt(state.byteOffset + state.reservedSize);
      const memoryEnd = BigInt(state.holder.size);
      const range = atomRange(start, size, atom, allocationEnd < memoryEnd ? allocationEnd : memoryEnd);
      ranges.push({ memory: state.holder.memory, offset: range.offset, size: range.size });
    });
    if (ranges.length === 0) return;
    if (kind === 'flush') this.device.flushMappedMemoryRanges(ranges);
    else this.device.invalidateMappedMemoryRanges(ranges);
  }

  // --- checks and helpers ---

  private rangeInAllocation(allocation: Allocation, offset: DeviceSizeInput, length: number, command: string): number {
    this.liveState(allocation, command);
    const start = toDeviceSize(offset, 'offset');
    if (start + BigInt(length) > allocation.size) {
      throw new VkmapArgumentError(
        'offset',
        `${start} + ${length} bytes runs past the end of the allocation (${allocation.size} bytes)`,
      );
    }
    return Number(start);
  }

  private requireHostVisible(allocation: Allocation, command: string): void {
    const propertyFlags = this.memoryProperties.memoryTypes[allocation.memoryTypeIndex]!.propertyFlags;
    if ((propertyFlags & HOST_VISIBLE) === 0) {
      throw new VkmapStateError(
        `${command}: ${this.describe(allocation)} is in memory type ${allocation.memoryTypeIndex} (${propertyFlags ? propertyFlagNames(propertyFlags).join('|') : 'no flags'}), which is not HOST_VISIBLE; ` +
          'allocate it with HOST_ACCESS_SEQUENTIAL_WRITE or HOST_ACCESS_RANDOM (without ALLOW_TRANSFER_INSTEAD) to map it, or copy through a host-visible staging allocation',
      );
    }
  }

  private liveState(allocation: Allocation, command: string): AllocationState {
    if (!(allocation instanceof Allocation)) {
      throw new VkmapArgumentError(
        'allocation',
        `must be an Allocation from allocateMemory (got ${describeValue(allocation)})`,
      );
    }
    const state = allocation[allocationState];
    if (state.freed) throw new VkmapStateError(`${command}: ${this.describe(allocation)} has been freed`);
    if (!this.live.has(state))
      throw new VkmapStateError(`${command}: ${this.describe(allocation)} belongs to another allocator`);
    return state;
  }

  private requirePool(pool: Pool, command: string): void {
    if (!(pool instanceof Pool))
      throw new VkmapArgumentError('pool', `must be a Pool from createPool (got ${describeValue(pool)})`);
    if (pool.destroyed) throw new VkmapStateError(`${command}: pool ${pool.label} has been destroyed`);
    if (!this.pools.includes(pool))
      throw new VkmapStateError(`${command}: pool ${pool.label} belongs to another allocator`);
  }

  private describe(allocation: Allocation): string {
    const name = allocation.name === undefined ? 'the allocation' : `allocation ${JSON.stringify(allocation.name)}`;
    return `${name} (${allocation.size} bytes, memory type ${allocation.memoryTypeIndex})`;
  }

  private leakOf(allocation: Allocation): LeakedAllocation {
    return {
      name: allocation.name,
      size: allocation.size,
      memoryTypeIndex: allocation.memoryTypeIndex,
      offset: allocation.offset,
      isDedicated: allocation.isDedicated,
      pool: allocation.pool?.label,
      mapCount: allocation.mapCount,
    };
  }

  private preferredBlockSize(type: number, largeHeapBlockSize: number): number {
    const heap = this.memoryProperties.memoryHeaps[this.memoryProperties.memoryTypes[type]!.heapIndex]!;
    const limit = this.physicalDeviceProperties.limits.maxMemoryAllocationSize;
    let size = heap.size <= BigInt(SMALL_HEAP_MAX_SIZE) ? alignUp(heap.size / 8n, 32n) : BigInt(largeHeapBlockSize);
    if (limit > 0n && size > limit) size = limit;
    return Number(size);
  }

  private allVectors(): BlockVector[] {
    return [...this.defaultVectors, ...this.pools.map((pool) => pool.blockVector)];
  }

  private statsSource(): StatsSource {
    const allocationsByHandle = new Map<MemoryBlock, Map<number, Allocation>>();
    for (const allocation of this.live) {
      const state = allocation[allocationState];
      if (state.block === null) continue;
      let byHandle = allocationsByHandle.get(state.block);
      if (!byHandle) allocationsByHandle.set(state.block, (byHandle = new Map()));
      byHandle.set(state.handle, allocation);
    }
    const blocksOf = (vector: BlockVector) =>
      vector.blocks.map((block) => ({
        id: block.id,
        mapReferenceCount: block.mapping.mapReferenceCount,
        algorithm: block.metadata,
        allocationAt: (handle: number) => allocationsByHandle.get(block)?.get(handle),
        isQuarantined: (handle: number) => block.quarantine.has(handle),
      }));
    return {
      properties: this.physicalDeviceProperties,
      memoryProperties: this.memoryProperties,
      budgets: this.budget.getHeapBudgets(),
      statistics: this.calculateStatistics(),
      defaultPools: this.defaultVectors.map((vector, type) => ({
        memoryTypeIndex: type,
        preferredBlockSize: vector.preferredBlockSize,
        blocks: blocksOf(vector),
        dedicated: [...this.defaultDedicated[type]!],
      })),
      customPools: this.pools.map((pool) => ({
        memoryTypeIndex: pool.memoryTypeIndex,
        label: pool.label,
        preferredBlockSize: pool.blockVector.preferredBlockSize,
        blocks: blocksOf(pool.blockVector),
        dedicated: [...pool.dedicated],
      })),
    };
  }

  private assertAlive(command: string): void {
    if (this.destroyed) throw new VkmapStateError(`${command}: the allocator has been destroyed`);
  }
}

function bufferName(buffer: Buffer): string {
  return typeof buffer === 'object' && buffer !== null && typeof buffer.handle === 'bigint'
    ? `VkBuffer 0x${buffer.handle.toString(16)}`
    : describeValue(buffer);
}

/** Creates an allocator over a device of any backend (vmaCreateAllocator). */
export function createAllocator(device: Device, info?: AllocatorCreateInfo): Allocator {
  return new Allocator(device, info);
}
