/**
 * What every block algorithm (TLSF, linear) offers: sub-allocation of one range [0, size) with plain
 * numbers, no device. Real memory blocks and virtual blocks both sit on top of it.
 */

/** Returned by `allocate` when no free range fits. */
export const NO_SPACE = -1;

/** Visits one region in offset order: `handle` is the allocation, or `NO_SPACE` for free space. */
export type RegionVisitor = (offset: number, size: number, handle: number) => void;

export interface BlockAlgorithm {
  readonly name: 'tlsf' | 'linear';
  readonly size: number;
  readonly allocationCount: number;
  /** Sum of the allocations' sizes. */
  readonly allocatedBytes: number;
  readonly freeBytes: number;
  /** Number of separate free ranges. */
  readonly freeRangeCount: number;
  readonly isEmpty: boolean;
  /**
   * Finds and takes a range of `size` bytes at a multiple of `alignment` (a power of two). Returns the
   * allocation's handle (a non-negative integer), or `NO_SPACE` with nothing changed.
   */
  allocate(size: number, alignment: number, upperAddress: boolean): number;
  /** Frees an allocation; throws `VkmapStateError` for a handle that is not live in this block. */
  free(handle: number): void;
  /** Whether `handle` names a live allocation of this block. */
  isLive(handle: number): boolean;
  offsetOf(handle: number): number;
  sizeOf(handle: number): number;
  /** Visits every allocation and free range in offset order. */
  forEachRegion(visit: RegionVisitor): void;
  /** Size of the largest free range (0 when full). */
  largestFreeRange(): number;
  /** Frees everything at once. */
  clear(): void;
}
