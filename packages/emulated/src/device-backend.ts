/**
 * The emulated GPU behind the checked front: allocations accounted against heaps, contents kept in
 * JavaScript memory with coherent and non-coherent behaviour, host addresses from a simulated address
 * space, faults injected on demand. It implements the backend interface of @vkmap/core and relies on its
 * preconditions: every argument here has been checked by the front.
 */
import {
  atomRange,
  VkError,
  VkMemoryPropertyFlagBits,
  type DeviceBackend,
  type MapRequest,
  type PhysicalDeviceMemoryBudgetPropertiesEXT,
  type PhysicalDeviceMemoryProperties,
  type ResolvedRange,
  type ViewLifetime,
} from '@vkmap/core';
import type { EmulatedAddressReservation } from './address-reservation.js';
import { EmulatedComputeBackend, type EmulatedComputeSpec } from './compute/compute-backend.js';
import type { EmulatedMemory } from './device-memory.js';
import { FaultInjector, type FaultableCommand } from './fault-injector.js';
import { HeapAccounting } from './heaps.js';
import { HostAddressSpace } from './host-address-space.js';
import { HostMapper } from './host-mapper.js';
import { MemoryContents } from './memory-contents.js';

/** Where the simulated host address space starts (above the first 4 GiB, like a 64-bit process heap). */
const HOST_ADDRESS_BASE = 0x1_0000_0000n;

/** What the emulated device is made of, from its profile. */
export interface EmulatedDeviceSpec {
  readonly memoryProperties: PhysicalDeviceMemoryProperties;
  readonly minMemoryMapAlignment: number;
  readonly nonCoherentAtomSize: bigint;
  readonly maxMemoryAllocationSize: bigint;
  readonly hostAddressSpaceSize: bigint;
  readonly hostPageSize: bigint;
  /** Whether the device offers VK_EXT_memory_budget. */
  readonly hasMemoryBudget: boolean;
  readonly faultSeed: number;
  /** What a view over mapped memory is once its mapping ended (memory-contents.ts). */
  readonly views: ViewLifetime;
  /** Queues, compute limits and the shader executor (memory types come from `memoryProperties`). */
  readonly compute: Omit<EmulatedComputeSpec, 'memoryTypes'>;
}

/**
 * The memory commands are this class's; the compute chapters (buffers, pipelines, descriptors, command
 * buffers, queues, fences) are EmulatedComputeBackend's, in compute/.
 */
export class EmulatedDeviceBackend
  extends EmulatedComputeBackend
  implements DeviceBackend<EmulatedMemory, EmulatedAddressReservation>
{
  /** Deterministic fault injection: failing calls and shrunken heap budgets. */
  readonly faults: FaultInjector;
  /** The simulated host virtual address space that mappings and reservations come from. */
  readonly addressSpace: HostAddressSpace;
  readonly pageSize: bigint;
  private readonly spec: EmulatedDeviceSpec;
  private readonly heaps: HeapAccounting;
  private readonly mapper: HostMapper;
  private readonly memories = new Set<EmulatedMemory>();
  private nextHandle = 1n;

  constructor(spec: EmulatedDeviceSpec) {
    super({ ...spec.compute, memoryTypes: spec.memoryProperties.memoryTypes });
    this.spec = spec;
    this.pageSize = spec.hostPageSize;
    this.faults = new FaultInjector(spec.faultSeed, spec.memoryProperties.memoryHeaps.length);
    this.heaps = new HeapAccounting(spec.memoryProperties.memoryHeaps, spec.maxMemoryAllocationSize, this.faults);
    this.addressSpace = new HostAddressSpace({
      base: HOST_ADDRESS_BASE,
      size: spec.hostAddressSpaceSize,
      pageSize: spec.hostPageSize,
    });
    this.mapper = new HostMapper(this.addressSpace, spec.minMemoryMapAlignment);
  }

  /** Live allocations. */
  get allocationCount(): number {
    return this.memories.size;
  }

  allocateMemory(request: { readonly size: bigint; readonly memoryTypeIndex: number; readonly heapIndex: number }) {
    this.faults.fail('vkAllocateMemory');
    this.heaps.take(request.heapIndex, request.size);
    const flags = this.spec.memoryProperties.memoryTypes[request.memoryTypeIndex]!.propertyFlags;
    const coherent = (flags & VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_COHERENT_BIT) !== 0;
    const memory: EmulatedMemory = {
      size: request.size,
      heapIndex: request.heapIndex,
      contents: new MemoryContents(
        Number(request.size),
        coherent,
        Number(this.spec.nonCoherentAtomSize),
        this.spec.views === 'stable',
      ),
      run: null,
    };
    this.memories.add(memory);
    return { handle: this.nextHandle++, memory };
  }

  freeMemory(memory: EmulatedMemory): void {
    if (memory.run) this.endMapping(memory, false);
    memory.contents.release();
    this.heaps.give(memory.heapIndex, memory.size);
    this.memories.delete(memory);
  }

  mapMemory(memory: EmulatedMemory, { command, offset, size, placedAddress }: MapRequest) {
    this.faults.fail(command === 'vkMapMemory' ? 'vkMapMemory' : 'vkMapMemory2');
    const run =
      placedAddress === undefined
        ? this.mapper.claim(command, memory, offset, size)
        : this.mapper.claimPlaced(command, memory, placedAddress, size);
    let view: Uint8Array;
    try {
      view = memory.contents.openWindow(Number(offset), Number(size));
    } catch (error) {
      this.mapper.release(memory, run, false);
      if (error instanceof RangeError) {
        throw new VkError(
          command,
          'VK_ERROR_MEMORY_MAP_FAILED',
          `the host could not provide ${size} bytes: ${error.message}`,
        );
      }
      throw error;
    }
    memory.run = run;
    return { address: this.mapper.addressOf(run, offset), view };
  }

  unmapMemory(
    memory: EmulatedMemory,
    { reserve }: { readonly reserve: boolean },
  ): EmulatedAddressReservation | undefined {
    // Only a reserving unmap can fail; when it does, the memory stays mapped.
    if (reserve) this.faults.fail('vkUnmapMemory2');
    return this.endMapping(memory, reserve);
  }

  flushMappedMemoryRanges(ranges: readonly ResolvedRange<EmulatedMemory>[]): void {
    this.applyRanges('vkFlushMappedMemoryRanges', ranges, (contents, offset, length) => contents.flush(offset, length));
  }

  invalidateMappedMemoryRanges(ranges: readonly ResolvedRange<EmulatedMemory>[]): void {
    this.applyRanges('vkInvalidateMappedMemoryRanges', ranges, (contents, offset, length) =>
      contents.invalidate(offset, length),
    );
  }

  getMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined {
    return this.spec.hasMemoryBudget ? this.heaps.budget() : undefined;
  }

  reserveAddressRange(size: bigint, alignment: bigint): EmulatedAddressReservation {
    return this.mapper.reserve(size, alignment);
  }

  releaseAddressRange(range: EmulatedAddressReservation): void {
    this.mapper.releaseReservation(range);
  }

  destroy(): void {
    // Dropping the contents detaches every live view in 'detach' mode; in 'stable' mode a view keeps its store.
    for (const memory of this.memories) memory.contents.release();
    this.memories.clear();
    this.mapper.forgetAll();
  }

  /** Reads memory as the GPU sees it: a copy of [offset, offset + size). Preconditions: inside the allocation. */
  deviceRead(memory: EmulatedMemory, offset: number, size: number): Uint8Array {
    return memory.contents.readDevice(offset, size);
  }

  /** Writes memory as the GPU would (a shader store or a transfer). Preconditions: inside the allocation. */
  deviceWrite(memory: EmulatedMemory, offset: number, bytes: Uint8Array): void {
    memory.contents.writeDevice(offset, bytes);
  }

  private endMapping(memory: EmulatedMemory, keep: boolean): EmulatedAddressReservation | undefined {
    const kept = this.mapper.release(memory, memory.run!, keep);
    // Never throws, whatever the application did to the view's buffer: the address run is gone already.
    memory.contents.closeWindow();
    memory.run = null;
    return kept;
  }

  private applyRanges(
    command: FaultableCommand,
    ranges: readonly ResolvedRange<EmulatedMemory>[],
    apply: (contents: MemoryContents, offset: number, length: number) => void,
  ): void {
    this.faults.fail(command);
    const atom = this.spec.nonCoherentAtomSize;
    for (const { memory, offset, end } of ranges) {
      // Whole atoms, as drivers round them, clamped to the end of the allocation.
      const rounded = atomRange(offset, end - offset, atom, memory.size);
      apply(memory.contents, Number(rounded.offset), Number(rounded.size));
    }
  }
}
