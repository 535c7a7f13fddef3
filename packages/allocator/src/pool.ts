import type { DeviceSizeInput } from '@vkmap/core';
import type { Allocation } from './allocation.js';
import type { BlockVector } from './block-vector.js';
import type { AlgorithmName } from './create-algorithm.js';

export interface PoolCreateInfo {
  readonly memoryTypeIndex: number;
  /** 'tlsf' (default) or 'linear' (stack, ring buffer, and with maxBlockCount 1 a double stack). */
  readonly algorithm?: AlgorithmName;
  /** Fixed size of each block; default: the allocator's preferred size for the type's heap. */
  readonly blockSize?: DeviceSizeInput;
  /** Blocks created up front and never released (default 0). */
  readonly minBlockCount?: number;
  /** At most this many blocks (default unlimited). */
  readonly maxBlockCount?: number;
  readonly name?: string;
}

/** A VmaPool: blocks of one memory type with their own size, count limits and algorithm. */
export class Pool {
  /** @internal */
  readonly dedicated = new Set<Allocation>();
  /** @internal */
  destroyed = false;

  constructor(
    /** Unique within the allocator, in creation order. */
    readonly id: number,
    readonly name: string | undefined,
    readonly memoryTypeIndex: number,
    readonly algorithm: AlgorithmName,
    /** @internal */
    readonly blockVector: BlockVector,
  ) {}

  get blockSize(): bigint {
    return BigInt(this.blockVector.preferredBlockSize);
  }

  get blockCount(): number {
    return this.blockVector.blocks.length;
  }

  /** "id - name", as VMA's statistics name pools. */
  get label(): string {
    return this.name === undefined ? String(this.id) : `${this.id} - ${this.name}`;
  }
}
