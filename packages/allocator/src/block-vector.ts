import { VkError, type DeviceMemory } from '@vkmap/core';
import { MemoryBlock } from './block.js';
import { NO_SPACE } from './block-algorithm.js';
import { createAlgorithm, type AlgorithmName } from './create-algorithm.js';
import type { AllocatorContext } from './context.js';
import { MemoryMapping } from './mapping.js';

/** How many times a new block may be halved, from the preferred size, to fit the heap or start small. */
const NEW_BLOCK_SIZE_SHIFT_MAX = 3;

export interface BlockVectorConfig {
  readonly memoryTypeIndex: number;
  readonly preferredBlockSize: number;
  /** A custom pool's fixed block size: blocks are never made smaller. */
  readonly explicitBlockSize: boolean;
  readonly algorithm: AlgorithmName;
  readonly minBlockCount: number;
  readonly maxBlockCount: number;
}

export interface Placement {
  readonly block: MemoryBlock;
  readonly handle: number;
  readonly offset: number;
}

export interface PlacementRequest {
  /** Bytes to reserve (already rounded to the non-coherent atom where needed). */
  readonly size: number;
  readonly alignment: number;
  readonly upperAddress: boolean;
  readonly neverAllocate: boolean;
  readonly withinBudget: boolean;
}

/** The blocks of one memory type, for the default pool of that type or for one custom pool. */
export class BlockVector {
  readonly blocks: MemoryBlock[] = [];

  constructor(
    private readonly context: AllocatorContext,
    readonly config: BlockVectorConfig,
  ) {}

  get memoryTypeIndex(): number {
    return this.config.memoryTypeIndex;
  }

  get preferredBlockSize(): number {
    return this.config.preferredBlockSize;
  }

  get allocationCount(): number {
    let count = 0;
    for (const block of this.blocks) count += block.metadata.allocationCount;
    return count;
  }

  /** Creates the pool's minimum blocks; on failure frees those it made and throws. */
  createMinimumBlocks(): void {
    const made: MemoryBlock[] = [];
    try {
      while (this.blocks.length < this.config.minBlockCount)
        made.push(this.createBlock(this.config.preferredBlockSize));
    } catch (error) {
      for (const block of made) this.destroyBlock(block);
      throw error;
    }
  }

  /**
   * Places a request in an existing block or a new one. Throws `VkError` (the backend's result, or
   * VK_ERROR_OUT_OF_DEVICE_MEMORY when a limit of this vector refuses) with nothing changed.
   */
  allocate(request: PlacementRequest): Placement {
    const { size, alignment } = request;
    const type = this.config.memoryTypeIndex;
    if (size > this.config.preferredBlockSize) {
      throw new VkError(
        'vkAllocateMemory',
        'VK_ERROR_OUT_OF_DEVICE_MEMORY',
        `${size} bytes do not fit a ${this.config.preferredBlockSize}-byte block of memory type ${type}`,
      );
    }
    // A linear block only ever grows at its end, so only the last block can take more.
    const candidates = this.config.algorithm === 'linear' ? this.blocks.slice(-1) : this.blocks;
    for (const block of candidates) {
      const placed = this.placeIn(block, request);
      if (placed) return placed;
    }
    if (request.neverAllocate) {
      throw new VkError(
        'vkAllocateMemory',
        'VK_ERROR_OUT_OF_DEVICE_MEMORY',
        `NEVER_ALLOCATE is set and no existing block of memory type ${type} has ${size} bytes free at alignment ${alignment}`,
      );
    }
    if (this.blocks.length >= this.config.maxBlockCount) {
      throw new VkError(
        'vkAllocateMemory',
        'VK_ERROR_OUT_OF_DEVICE_MEMORY',
        `the pool of memory type ${type} already has its maxBlockCount of ${this.config.maxBlockCount} blocks and none has room for ${size} bytes`,
      );
    }

    let blockSize = this.config.preferredBlockSize;
    let shift = 0;
    if (!this.config.explicitBlockSize) {
      // Start small: the first blocks of a type are 1/8, 1/4, 1/2 of the preferred size while requests fit.
      const largestExisting = this.blocks.reduce((largest, block) => Math.max(largest, block.size), 0);
      while (shift < NEW_BLOCK_SIZE_SHIFT_MAX) {
        const smaller = Math.floor(blockSize / 2);
        if (smaller <= largestExisting || smaller < size * 2) break;
        blockSize = smaller;
        shift += 1;
      }
    }
    for (;;) {
      // Fresh figures: this check guards a driver allocation, which costs more than fetching them.
      if (request.withinBudget && !this.context.budget.fitsBudget(type, blockSize, true)) {
        throw new VkError(
          'vkAllocateMemory',
          'VK_ERROR_OUT_OF_DEVICE_MEMORY',
          `WITHIN_BUDGET is set and a new ${blockSize}-byte block would exceed the budget of heap ${this.context.budget.heapOf(type)}`,
        );
      }
      let block: MemoryBlock;
      try {
        block = this.createBlock(blockSize);
      } catch (error) {
        const smaller = Math.floor(blockSize / 2);
        if (
          !(error instanceof VkError) ||
          this.config.explicitBlockSize ||
          shift >= NEW_BLOCK_SIZE_SHIFT_MAX ||
          smaller < size
        )
          throw error;
        blockSize = smaller;
        shift += 1;
        continue;
      }
      const placed = this.placeIn(block, request);
      if (!placed) {
        this.destroyBlock(block);
        throw new Error(
          `internal: a new ${blockSize}-byte block could not take ${size} bytes at alignment ${alignment}`,
        );
      }
      return placed;
    }
  }

  /**
   * Frees a placement; an emptied block is released unless it is the only empty one (hysteresis) and the
   * heap is within its budget (the allocator's cached figures: no driver call on this path, see BudgetTracker).
   */
  free(block: MemoryBlock, handle: number): void {
    block.metadata.free(handle);
    block.mapping.onFree();
    if (!block.metadata.isEmpty || this.blocks.length <= this.config.minBlockCount) return;
    const blocks = this.blocks;
    for (let i = 0; i < blocks.length; i++) {
      const other = blocks[i]!;
      if (other !== block && other.metadata.isEmpty) {
        this.destroyBlock(block);
        return;
      }
    }
    if (!this.context.budget.fitsBudget(this.config.memoryTypeIndex, 0)) this.destroyBlock(block);
  }

  /** Releases empty blocks beyond the minimum count. */
  releaseEmptyBlocks(): void {
    for (const block of [...this.blocks]) {
      if (block.metadata.isEmpty && this.blocks.length > this.config.minBlockCount) this.destroyBlock(block);
    }
  }

  /** Frees every block (their allocations must be gone). */
  destroyAll(): void {
    for (const block of [...this.blocks]) this.destroyBlock(block);
  }

  private placeIn(block: MemoryBlock, request: PlacementRequest): Placement | undefined {
    if (block.metadata.freeBytes < request.size) return undefined;
    const handle = block.metadata.allocate(request.size, request.alignment, request.upperAddress);
    if (handle === NO_SPACE) return undefined;
    block.mapping.onAllocate();
    return { block, handle, offset: block.metadata.offsetOf(handle) };
  }

  private createBlock(size: number): MemoryBlock {
    const { device, budget, mappingHysteresis } = this.context;
    const type = this.config.memoryTypeIndex;
    let memory: DeviceMemory;
    try {
      memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type });
    } catch (error) {
      budget.driverAllocationFailed();
      throw error;
    }
    const block = new MemoryBlock(
      this.context.nextBlockId(),
      memory,
      type,
      size,
      createAlgorithm(this.config.algorithm, size),
      new MemoryMapping(device, memory, mappingHysteresis),
    );
    this.blocks.push(block);
    budget.addBlock(type, size);
    return block;
  }

  private destroyBlock(block: MemoryBlock): void {
    block.destroyed = true;
    block.quarantine.clear();
    block.mapping.dispose();
    this.context.device.freeMemory(block.memory);
    this.blocks.splice(this.blocks.indexOf(block), 1);
    this.context.budget.removeBlock(block.memoryTypeIndex, block.size);
  }
}
