import {
  alignUp,
  atomRange,
  findInChain,
  isAligned,
  isDeviceCommandAvailable,
  isPowerOfTwo,
  resolveWholeSize,
  toDeviceSize,
  toUint32,
  VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
  VK_WHOLE_SIZE,
  VkError,
  VkMemoryHeapFlagBits,
  VkMemoryMapFlagBits,
  VkMemoryPropertyFlagBits,
  VkMemoryUnmapFlagBits,
  VkmapArgumentError,
  VkmapStateError,
  VkStructureType,
  describeValue,
  DeviceMemoryHandle,
  endHostMapping,
  type Device,
  type DeviceMemory,
  type DeviceSizeInput,
  type HostAddressRange,
  type MappedMemoryRange,
  type MemoryAllocateFlagsInfo,
  type MemoryAllocateInfo,
  type MemoryMapInfo,
  type MemoryMapPlacedInfoEXT,
  type MemoryUnmapInfo,
  type PhysicalDeviceMapMemoryPlacedFeaturesEXT,
  type PhysicalDeviceMemoryBudgetPropertiesEXT,
} from '@vkmap/core';
import { EmulatedHostAddressRange } from './address-reservation.js';
import type { MemoryRecord } from './device-memory.js';
import { FaultInjector, type FaultableCommand } from './fault-injector.js';
import { HostAddressSpace } from './host-address-space.js';
import { EmulatedMappedMemory } from './mapped-memory.js';
import { MemoryContents } from './memory-contents.js';
import type { EmulatedPhysicalDevice } from './physical-device.js';

const { VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT, VK_MEMORY_PROPERTY_HOST_COHERENT_BIT } = VkMemoryPropertyFlagBits;
const { VK_MEMORY_MAP_PLACED_BIT_EXT } = VkMemoryMapFlagBits;
const { VK_MEMORY_UNMAP_RESERVE_BIT_EXT } = VkMemoryUnmapFlagBits;

/** Where the simulated host address space starts (above the first 4 GiB, like a 64-bit process heap). */
const HOST_ADDRESS_BASE = 0x1_0000_0000n;

export interface EmulatedDeviceInit {
  readonly physicalDevice: EmulatedPhysicalDevice;
  readonly apiVersion: number;
  readonly enabledExtensions: ReadonlySet<string>;
  readonly enabledFeatures: PhysicalDeviceMapMemoryPlacedFeaturesEXT;
  readonly faultSeed: number;
}

interface ResolvedMap {
  readonly record: MemoryRecord;
  readonly offset: bigint;
  readonly size: bigint;
  readonly placedAddress: bigint | undefined;
}

/**
 * A logical device of the emulated GPU: allocations accounted against heaps and limits, contents kept in
 * JavaScript memory with coherent and non-coherent behaviour, host addresses from a simulated address
 * space. Misuse that the validation layer would report is still refused here with a clear error, never
 * with corruption of another allocation.
 */
export class EmulatedDevice implements Device {
  readonly physicalDevice: EmulatedPhysicalDevice;
  readonly apiVersion: number;
  readonly enabledExtensions: ReadonlySet<string>;
  readonly enabledFeatures: Readonly<PhysicalDeviceMapMemoryPlacedFeaturesEXT>;
  /** Deterministic fault injection: failing calls and shrunken heap budgets. */
  readonly faults: FaultInjector;
  /** The simulated host virtual address space that mappings and reservations come from. */
  readonly addressSpace: HostAddressSpace;

  private readonly records = new Map<DeviceMemory, MemoryRecord>();
  private readonly freed = new WeakSet<DeviceMemory>();
  private readonly reservations = new Set<EmulatedHostAddressRange>();
  private readonly heapUsage: bigint[];
  private nextHandle = 1n;
  private destroyed = false;

  constructor(init: EmulatedDeviceInit) {
    this.physicalDevice = init.physicalDevice;
    this.apiVersion = init.apiVersion;
    this.enabledExtensions = init.enabledExtensions;
    this.enabledFeatures = Object.freeze({ ...init.enabledFeatures });
    const profile = init.physicalDevice.profile;
    this.faults = new FaultInjector(init.faultSeed, profile.memoryHeaps.length);
    this.addressSpace = new HostAddressSpace({
      base: HOST_ADDRESS_BASE,
      size: BigInt(profile.hostAddressSpaceSize),
      pageSize: BigInt(profile.hostPageSize),
    });
    this.heapUsage = profile.memoryHeaps.map(() => 0n);
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  hasCommand(name: string): boolean {
    return isDeviceCommandAvailable(name, this.apiVersion, this.enabledExtensions);
  }

  allocateMemory(info: MemoryAllocateInfo): DeviceMemory {
    this.assertAlive('vkAllocateMemory');
    requireObject(info, 'pAllocateInfo');
    const size = toDeviceSize(info.allocationSize, 'pAllocateInfo.allocationSize');
    if (size === 0n) throw new VkmapArgumentError('pAllocateInfo.allocationSize', 'must be greater than 0');
    const types = this.physicalDevice.memoryProperties.memoryTypes;
    const typeIndex = toUint32(info.memoryTypeIndex, 'pAllocateInfo.memoryTypeIndex');
    const type = types[typeIndex];
    if (!type) {
      throw new VkmapArgumentError(
        'pAllocateInfo.memoryTypeIndex',
        `must be below the memory type count ${types.length} (got ${typeIndex})`,
      );
    }
    const flagsInfo = findInChain<MemoryAllocateFlagsInfo>(info.pNext, VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO);
    if (flagsInfo && flagsInfo.flags & 0x1 && flagsInfo.deviceMask !== 1) {
      throw new VkmapArgumentError('VkMemoryAllocateFlagsInfo.deviceMask', `must be 1 on a single-GPU device (got ${flagsInfo.deviceMask})`);
    }
    this.failIfInjected('vkAllocateMemory');

    const limits = this.physicalDevice.limits;
    if (this.records.size >= limits.maxMemoryAllocationCount) {
      throw new VkError(
        'vkAllocateMemory',
        'VK_ERROR_TOO_MANY_OBJECTS',
        `${this.records.size} allocations are live and maxMemoryAllocationCount is ${limits.maxMemoryAllocationCount}`,
      );
    }
    if (size > limits.maxMemoryAllocationSize) {
      throw new VkError(
        'vkAllocateMemory',
        'VK_ERROR_OUT_OF_DEVICE_MEMORY',
        `${size} bytes exceed maxMemoryAllocationSize ${limits.maxMemoryAllocationSize}`,
      );
    }
    const heapIndex = type.heapIndex;
    const available = this.heapAvailable(heapIndex);
    if (size > available) {
      const heapIsHost = (this.physicalDevice.memoryProperties.memoryHeaps[heapIndex]!.flags & VkMemoryHeapFlagBits.VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) === 0;
      throw new VkError(
        'vkAllocateMemory',
        'VK_ERROR_OUT_OF_DEVICE_MEMORY',
        `heap ${heapIndex}${heapIsHost ? ' (host)' : ''} has ${available} of its budget free, ${size} requested`,
      );
    }

    const memory = new DeviceMemoryHandle(this.nextHandle++, size, typeIndex);
    const coherent = (type.propertyFlags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT) !== 0;
    this.records.set(memory, {
      memory,
      heapIndex,
      propertyFlags: type.propertyFlags,
      contents: new MemoryContents(Number(size), coherent, Number(this.physicalDevice.limits.nonCoherentAtomSize)),
      mapping: null,
    });
    this.heapUsage[heapIndex]! += size;
    return memory;
  }

  freeMemory(memory: DeviceMemory | null): void {
    this.assertAlive('vkFreeMemory');
    if (memory === null || memory === undefined) return;
    const record = this.requireRecord(memory, 'memory');
    if (record.mapping) this.endMapping(record, 'the memory was freed');
    record.contents.release();
    this.records.delete(record.memory);
    this.freed.add(record.memory);
    this.heapUsage[record.heapIndex]! -= record.memory.allocationSize;
  }

  mapMemory(memory: DeviceMemory, offset: DeviceSizeInput, size: DeviceSizeInput, flags: number = 0): EmulatedMappedMemory {
    this.assertAlive('vkMapMemory');
    const record = this.requireRecord(memory, 'memory');
    const mapFlags = toUint32(flags, 'flags');
    if (mapFlags & VK_MEMORY_MAP_PLACED_BIT_EXT) {
      throw new VkmapArgumentError('flags', 'vkMapMemory cannot place a mapping; use mapMemory2 with VK_MEMORY_MAP_PLACED_BIT_EXT');
    }
    if (mapFlags !== 0) throw new VkmapArgumentError('flags', `must be 0 for vkMapMemory (got 0x${mapFlags.toString(16)})`);
    const resolved = this.resolveMap(record, toDeviceSize(offset, 'offset'), toDeviceSize(size, 'size'), undefined);
    return this.mapResolved('vkMapMemory', resolved);
  }

  mapMemory2(info: MemoryMapInfo): EmulatedMappedMemory {
    return this.mapWithInfo('vkMapMemory2', info);
  }

  mapMemory2KHR(info: MemoryMapInfo): EmulatedMappedMemory {
    return this.mapWithInfo('vkMapMemory2KHR', info);
  }

  unmapMemory(memory: DeviceMemory): void {
    this.assertAlive('vkUnmapMemory');
    const record = this.requireRecord(memory, 'memory');
    this.requireMapped(record, 'vkUnmapMemory');
    this.endMapping(record, 'the memory was unmapped');
  }

  unmapMemory2(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.unmapWithInfo('vkUnmapMemory2', info);
  }

  unmapMemory2KHR(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.unmapWithInfo('vkUnmapMemory2KHR', info);
  }

  flushMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    this.applyRanges('vkFlushMappedMemoryRanges', ranges, (contents, offset, length) => contents.flush(offset, length));
  }

  invalidateMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    this.applyRanges('vkInvalidateMappedMemoryRanges', ranges, (contents, offset, length) =>
      contents.invalidate(offset, length),
    );
  }

  getMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined {
    this.assertAlive('vkGetPhysicalDeviceMemoryProperties2');
    if (!this.physicalDevice.supportsExtension(VK_EXT_MEMORY_BUDGET_EXTENSION_NAME)) return undefined;
    const heaps = this.physicalDevice.memoryProperties.memoryHeaps;
    return {
      heapBudget: heaps.map((heap, index) => {
        const cap = this.faults.heapBudgetLimit(index);
        return cap !== undefined && cap < heap.size ? cap : heap.size;
      }),
      heapUsage: [...this.heapUsage],
    };
  }

  reserveAddressRange(size: DeviceSizeInput, alignment?: DeviceSizeInput): EmulatedHostAddressRange {
    this.assertAlive('reserveAddressRange');
    const bytes = toDeviceSize(size, 'size');
    if (bytes === 0n) throw new VkmapArgumentError('size', 'must be greater than 0');
    const page = this.addressSpace.pageSize;
    const align = alignment === undefined ? page : toDeviceSize(alignment, 'alignment');
    if (!isPowerOfTwo(align)) throw new VkmapArgumentError('alignment', `must be a power of two (got ${align})`);
    const length = alignUp(bytes, page);
    const token = {};
    const start = this.addressSpace.reserve(length, align, token);
    if (start === undefined) {
      throw new VkError(
        'reserveAddressRange',
        'VK_ERROR_OUT_OF_HOST_MEMORY',
        `no free run of ${length} bytes aligned to ${align} is left in the host address space`,
      );
    }
    const range = new EmulatedHostAddressRange(this.addressSpace, token, start, length);
    this.reservations.add(range);
    return range;
  }

  destroy(): void {
    this.assertAlive('vkDestroyDevice');
    for (const record of this.records.values()) {
      if (record.mapping) endHostMapping(record.mapping, 'the device was destroyed');
      record.contents.release();
      this.freed.add(record.memory);
    }
    this.records.clear();
    for (const range of this.reservations) range.forget();
    this.reservations.clear();
    this.destroyed = true;
  }

  /** Reads memory as the GPU sees it (for tests and compute): a copy of [offset, offset + size). */
  deviceRead(memory: DeviceMemory, offset: DeviceSizeInput, size: DeviceSizeInput): Uint8Array {
    this.assertAlive('deviceRead');
    const record = this.requireRecord(memory, 'memory');
    const [start, length] = this.deviceRange(record, toDeviceSize(offset, 'offset'), toDeviceSize(size, 'size'));
    return record.contents.readDevice(start, length);
  }

  /** Writes memory as the GPU would (a shader store or a transfer). */
  deviceWrite(memory: DeviceMemory, offset: DeviceSizeInput, bytes: Uint8Array): void {
    this.assertAlive('deviceWrite');
    const record = this.requireRecord(memory, 'memory');
    if (!(bytes instanceof Uint8Array)) throw new VkmapArgumentError('bytes', `must be a Uint8Array (got ${describeValue(bytes)})`);
    const [start] = this.deviceRange(record, toDeviceSize(offset, 'offset'), BigInt(bytes.length));
    record.contents.writeDevice(start, bytes);
  }

  /** Live allocations of this device. */
  get allocationCount(): number {
    return this.records.size;
  }

  private mapWithInfo(command: 'vkMapMemory2' | 'vkMapMemory2KHR', info: MemoryMapInfo): EmulatedMappedMemory {
    this.assertAlive(command);
    this.requireCommand(command);
    requireObject(info, 'pMemoryMapInfo');
    const record = this.requireRecord(info.memory, 'pMemoryMapInfo.memory');
    const flags = toUint32(info.flags ?? 0, 'pMemoryMapInfo.flags');
    if (flags & ~VK_MEMORY_MAP_PLACED_BIT_EXT) {
      throw new VkmapArgumentError('pMemoryMapInfo.flags', `has unknown bits 0x${(flags & ~VK_MEMORY_MAP_PLACED_BIT_EXT).toString(16)}`);
    }
    let placedAddress: bigint | undefined;
    if (flags & VK_MEMORY_MAP_PLACED_BIT_EXT) {
      const placed = findInChain<MemoryMapPlacedInfoEXT>(info.pNext, VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT);
      if (!placed) {
        throw new VkmapArgumentError('pMemoryMapInfo.pNext', 'VK_MEMORY_MAP_PLACED_BIT_EXT needs a VkMemoryMapPlacedInfoEXT in the chain');
      }
      placedAddress = toDeviceSize(placed.pPlacedAddress, 'VkMemoryMapPlacedInfoEXT.pPlacedAddress');
    }
    const resolved = this.resolveMap(
      record,
      toDeviceSize(info.offset, 'pMemoryMapInfo.offset'),
      toDeviceSize(info.size, 'pMemoryMapInfo.size'),
      placedAddress,
    );
    return this.mapResolved(command, resolved);
  }

  /** Checks a map request against the object and the enabled features; changes nothing. */
  private resolveMap(record: MemoryRecord, offset: bigint, requested: bigint, placedAddress: bigint | undefined): ResolvedMap {
    const allocationSize = record.memory.allocationSize;
    if (record.mapping) {
      throw new VkmapStateError(`memory ${record.memory.handle} is already mapped; unmap it before mapping it again`);
    }
    if ((record.propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) === 0) {
      throw new VkmapArgumentError(
        'memory',
        `memory type ${record.memory.memoryTypeIndex} is not HOST_VISIBLE (flags 0x${record.propertyFlags.toString(16)}) and cannot be mapped`,
      );
    }
    if (offset >= allocationSize) {
      throw new VkmapArgumentError('offset', `must be below the allocation size ${allocationSize} (got ${offset})`);
    }
    if (requested === 0n) throw new VkmapArgumentError('size', 'must be greater than 0 or VK_WHOLE_SIZE');
    if (requested !== VK_WHOLE_SIZE && requested > allocationSize - offset) {
      throw new VkmapArgumentError(
        'size',
        `offset ${offset} + size ${requested} runs past the allocation size ${allocationSize}`,
      );
    }
    const size = resolveWholeSize(offset, requested, allocationSize);
    if (placedAddress !== undefined) this.checkPlacement(offset, requested, allocationSize, placedAddress);
    return { record, offset, size, placedAddress };
  }

  /** The placed-map rules the emulator needs to place a map sensibly (the validation layer names them). */
  private checkPlacement(offset: bigint, requested: bigint, allocationSize: bigint, address: bigint): void {
    const features = this.enabledFeatures;
    if (!features.memoryMapPlaced) {
      throw new VkmapArgumentError('flags', 'VK_MEMORY_MAP_PLACED_BIT_EXT needs the memoryMapPlaced feature enabled at device creation');
    }
    const alignment = this.physicalDevice.placedProperties!.minPlacedMemoryMapAlignment;
    if (!isAligned(address, alignment)) {
      throw new VkmapArgumentError('pPlacedAddress', `0x${address.toString(16)} is not a multiple of minPlacedMemoryMapAlignment ${alignment}`);
    }
    if (requested === VK_WHOLE_SIZE ? !isAligned(allocationSize, alignment) : !isAligned(requested, alignment)) {
      const what = requested === VK_WHOLE_SIZE ? `allocation size ${allocationSize} (size is VK_WHOLE_SIZE)` : `size ${requested}`;
      throw new VkmapArgumentError('size', `a placed map needs its ${what} to be a multiple of minPlacedMemoryMapAlignment ${alignment}`);
    }
    if (!features.memoryMapRangePlaced) {
      if (offset !== 0n || (requested !== VK_WHOLE_SIZE && requested !== allocationSize)) {
        throw new VkmapArgumentError('offset', 'without memoryMapRangePlaced a placed map must cover the whole allocation (offset 0, size VK_WHOLE_SIZE or the allocation size)');
      }
    } else if (!isAligned(offset, alignment)) {
      throw new VkmapArgumentError('offset', `${offset} is not a multiple of minPlacedMemoryMapAlignment ${alignment}`);
    }
  }

  private mapResolved(command: string, { record, offset, size, placedAddress }: ResolvedMap): EmulatedMappedMemory {
    this.failIfInjected(command === 'vkMapMemory' ? 'vkMapMemory' : 'vkMapMemory2');
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new VkError(command, 'VK_ERROR_MEMORY_MAP_FAILED', `${size} bytes cannot be mapped into JavaScript memory`);
    }
    const run = placedAddress === undefined ? this.claimAddresses(command, record, offset, size) : this.claimPlacedAddresses(command, record, placedAddress, size);
    let bytes: Uint8Array;
    try {
      bytes = record.contents.openWindow(Number(offset), Number(size));
    } catch (error) {
      this.addressSpace.unmap(run.start, run.length, record);
      if (error instanceof RangeError) {
        throw new VkError(command, 'VK_ERROR_MEMORY_MAP_FAILED', `the host could not provide ${size} bytes: ${error.message}`);
      }
      throw error;
    }
    const mapping = new EmulatedMappedMemory({
      memory: record.memory,
      offset,
      size,
      address: placedAddress ?? run.start + (offset % BigInt(this.physicalDevice.limits.minMemoryMapAlignment)),
      isCoherent: record.contents.coherent,
      isPlaced: placedAddress !== undefined,
      run,
      view: bytes,
    });
    record.mapping = mapping;
    return mapping;
  }

  /** Finds free address space so that (address - offset) is a multiple of minMemoryMapAlignment. */
  private claimAddresses(command: string, record: MemoryRecord, offset: bigint, size: bigint): { start: bigint; length: bigint } {
    const alignment = BigInt(this.physicalDevice.limits.minMemoryMapAlignment);
    const length = alignUp((offset % alignment) + size, this.addressSpace.pageSize);
    const start = this.addressSpace.mapAnywhere(length, alignment, record);
    if (start === undefined) {
      const stats = this.addressSpace.stats();
      throw new VkError(
        command,
        'VK_ERROR_MEMORY_MAP_FAILED',
        `no contiguous free range of ${length} bytes in the host address space (largest free run ${stats.largestFreeRun}, ${stats.freeBytes} bytes free in all)`,
      );
    }
    return { start, length };
  }

  private claimPlacedAddresses(command: string, record: MemoryRecord, address: bigint, size: bigint): { start: bigint; length: bigint } {
    const length = alignUp(size, this.addressSpace.pageSize);
    const inside = [...this.reservations].some((range) => range.isReserved && range.contains(address, length));
    if (!inside) {
      throw new VkError(
        command,
        'VK_ERROR_MEMORY_MAP_FAILED',
        `placed range 0x${address.toString(16)} (+${length} bytes) is not inside one address range reserved with reserveAddressRange`,
      );
    }
    const result = this.addressSpace.place(address, length, record);
    if (result !== 'ok') {
      throw new VkError(
        command,
        'VK_ERROR_MEMORY_MAP_FAILED',
        result === 'overlaps-mapping'
          ? `placed range 0x${address.toString(16)} (+${length} bytes) overlaps a live mapping`
          : `placed range 0x${address.toString(16)} (+${length} bytes) is not entirely reserved (${result})`,
      );
    }
    return { start: address, length };
  }

  private unmapWithInfo(command: 'vkUnmapMemory2' | 'vkUnmapMemory2KHR', info: MemoryUnmapInfo): HostAddressRange | undefined {
    this.assertAlive(command);
    this.requireCommand(command);
    requireObject(info, 'pMemoryUnmapInfo');
    const record = this.requireRecord(info.memory, 'pMemoryUnmapInfo.memory');
    const flags = toUint32(info.flags ?? 0, 'pMemoryUnmapInfo.flags');
    if (flags & ~VK_MEMORY_UNMAP_RESERVE_BIT_EXT) {
      throw new VkmapArgumentError('pMemoryUnmapInfo.flags', `has unknown bits 0x${(flags & ~VK_MEMORY_UNMAP_RESERVE_BIT_EXT).toString(16)}`);
    }
    const keepReserved = (flags & VK_MEMORY_UNMAP_RESERVE_BIT_EXT) !== 0;
    if (keepReserved && !this.enabledFeatures.memoryUnmapReserve) {
      throw new VkmapArgumentError('pMemoryUnmapInfo.flags', 'VK_MEMORY_UNMAP_RESERVE_BIT_EXT needs the memoryUnmapReserve feature enabled at device creation');
    }
    this.requireMapped(record, command);
    // Only a reserving unmap can fail; when it does, the memory stays mapped.
    if (keepReserved) this.failIfInjected('vkUnmapMemory2');
    return this.endMapping(record, 'the memory was unmapped', keepReserved ? 'keep-reserved' : undefined);
  }

  private endMapping(record: MemoryRecord, reason: string, keep?: 'keep-reserved'): HostAddressRange | undefined {
    const mapping = record.mapping!;
    const { start, length } = mapping.run;
    let kept: EmulatedHostAddressRange | undefined;
    if (keep) {
      kept = mapping.isPlaced ? this.reservationAround(start, length) : undefined;
      if (!kept) {
        kept = new EmulatedHostAddressRange(this.addressSpace, {}, start, length);
        this.reservations.add(kept);
      }
    }
    this.addressSpace.unmap(start, length, record, kept?.token);
    record.contents.closeWindow();
    endHostMapping(mapping, reason);
    record.mapping = null;
    return kept;
  }

  private reservationAround(start: bigint, length: bigint): EmulatedHostAddressRange | undefined {
    for (const range of this.reservations) if (range.isReserved && range.contains(start, length)) return range;
    return undefined;
  }

  private applyRanges(
    command: 'vkFlushMappedMemoryRanges' | 'vkInvalidateMappedMemoryRanges',
    ranges: readonly MappedMemoryRange[],
    apply: (contents: MemoryContents, offset: number, length: number) => void,
  ): void {
    this.assertAlive(command);
    if (!Array.isArray(ranges)) throw new VkmapArgumentError('pMemoryRanges', `must be an array of VkMappedMemoryRange (got ${describeValue(ranges)})`);
    const atom = this.physicalDevice.limits.nonCoherentAtomSize;
    // Everything is checked before anything moves, so a refused call changes nothing.
    const work = ranges.map((range, index) => {
      const name = `pMemoryRanges[${index}]`;
      requireObject(range, name);
      const record = this.requireRecord(range.memory, `${name}.memory`);
      const mapping = this.requireMapped(record, command);
      const offset = toDeviceSize(range.offset, `${name}.offset`);
      const size = toDeviceSize(range.size, `${name}.size`);
      const allocationSize = record.memory.allocationSize;
      if (offset > allocationSize) {
        throw new VkmapArgumentError(`${name}.offset`, `${offset} is past the end of the allocation (${allocationSize} bytes)`);
      }
      const end = size === VK_WHOLE_SIZE ? mapping.offset + mapping.size : offset + size;
      const clampedEnd = end > allocationSize ? allocationSize : end;
      const rounded = atomRange(offset, clampedEnd > offset ? clampedEnd - offset : 0n, atom, allocationSize);
      return { record, offset: Number(rounded.offset), length: Number(rounded.size) };
    });
    this.failIfInjected(command);
    for (const { record, offset, length } of work) apply(record.contents, offset, length);
  }

  private deviceRange(record: MemoryRecord, offset: bigint, size: bigint): [number, number] {
    const allocationSize = record.memory.allocationSize;
    if (offset > allocationSize || size > allocationSize - offset) {
      throw new VkmapArgumentError('offset', `range ${offset} + ${size} is outside the allocation of ${allocationSize} bytes`);
    }
    return [Number(offset), Number(size)];
  }

  private heapAvailable(heapIndex: number): bigint {
    const heapSize = this.physicalDevice.memoryProperties.memoryHeaps[heapIndex]!.size;
    const cap = this.faults.heapBudgetLimit(heapIndex);
    const limit = cap !== undefined && cap < heapSize ? cap : heapSize;
    const used = this.heapUsage[heapIndex]!;
    return limit > used ? limit - used : 0n;
  }

  private failIfInjected(command: FaultableCommand): void {
    const result = this.faults.check(command);
    if (result) throw new VkError(command, result, 'injected fault');
  }

  private requireRecord(memory: unknown, argument: string): MemoryRecord {
    const record = this.records.get(memory as DeviceMemory);
    if (record) return record;
    if (typeof memory !== 'object' || memory === null || (memory as DeviceMemory).objectType !== 'VkDeviceMemory') {
      throw new VkmapArgumentError(argument, `must be a VkDeviceMemory from allocateMemory (got ${describeValue(memory)})`);
    }
    if (this.freed.has(memory as DeviceMemory)) {
      throw new VkmapStateError(`${argument}: memory ${(memory as DeviceMemory).handle} has been freed`);
    }
    throw new VkmapStateError(`${argument}: memory ${(memory as DeviceMemory).handle} was not allocated by this device`);
  }

  private requireMapped(record: MemoryRecord, command: string): EmulatedMappedMemory {
    if (!record.mapping) throw new VkmapStateError(`${command}: memory ${record.memory.handle} is not mapped`);
    return record.mapping;
  }

  private requireCommand(command: string): void {
    if (!this.hasCommand(command)) {
      const why = command.endsWith('KHR')
        ? 'it needs VK_KHR_map_memory2 in enabledExtensionNames'
        : `it needs a Vulkan 1.4 device (this one is ${this.apiVersion >>> 22}.${(this.apiVersion >>> 12) & 0x3ff}); enable VK_KHR_map_memory2 and use the KHR name instead`;
      throw new VkmapStateError(`${command} is not available on this device: ${why}`);
    }
  }

  private assertAlive(command: string): void {
    if (this.destroyed) throw new VkmapStateError(`${command}: the device has been destroyed`);
  }
}

function requireObject(value: unknown, argument: string): void {
  if (typeof value !== 'object' || value === null) {
    throw new VkmapArgumentError(argument, `must be an object (got ${describeValue(value)})`);
  }
}
