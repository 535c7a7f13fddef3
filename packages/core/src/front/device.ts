/**
 * The checked front of a logical device, written once for every backend. Each command:
 *   1. refuses a call on a destroyed device or through an entry point the device does not provide;
 *   2. reads its arguments once into a snapshot;
 *   3. checks the snapshot with the rules the validation layer uses, and throws the first misuse they find
 *      (the command table says which rules it leaves to the layer, and which it answers with a result);
 *   4. calls the backend with resolved values and the backend's own records;
 *   5. records the outcome in the handle table.
 * A refused call changes nothing.
 */
import type {
  BackendAddressRange,
  DeviceBackend,
  DeviceRequest,
  PhysicalDeviceDescription,
  ResolvedRange,
} from '../backend/index.js';
import { commandFacts, isDeviceCommandAvailable, unavailableCommandError, type CommandName } from '../commands.js';
import {
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_WHOLE_SIZE,
  VkMemoryAllocateFlagBits,
  VkMemoryMapFlagBits,
  VkMemoryPropertyFlagBits,
  VkMemoryUnmapFlagBits,
  VkStructureType,
} from '../constants.js';
import type {
  Device,
  DeviceMemory,
  HostAddressRange,
  MappedMemory,
  MappedMemoryRange,
  MemoryAllocateFlagsInfo,
  MemoryAllocateInfo,
  MemoryMapInfo,
  MemoryMapPlacedInfoEXT,
  MemoryUnmapInfo,
  PhysicalDevice,
  PhysicalDeviceMemoryBudgetPropertiesEXT,
} from '../contract/index.js';
import { alignUp, isPowerOfTwo, toDeviceSize, toOptionalDeviceSize, type DeviceSizeInput } from '../device-size.js';
import { VkError, VkmapArgumentError } from '../errors.js';
import { DeviceMemoryHandle, endHostMapping, HostMapping } from '../mapping-objects.js';
import { findInChain } from '../structures/chain.js';
import type { PhysicalDeviceFeatures } from '../structures/features.js';
import { checkAllocateMemory, checkFreeMemory } from '../validation/alloc-rules.js';
import { memoryProblemMessage, readDeviceSize, type CallContext } from '../validation/common-rules.js';
import { checkMapMemory, checkMapMemory2, checkUnmapMemory, checkUnmapMemory2 } from '../validation/map-rules.js';
import { checkMappedMemoryRanges, FLUSH_VUIDS, INVALIDATE_VUIDS } from '../validation/range-rules.js';
import { bytes, FailureList, hex } from '../validation/report.js';
import type { VuidId } from '../validation/vuids.js';
import { HandleRegistry, HandleTable, type DeviceFacts, type MemoryRecord } from '../handle-table.js';
import { FrontHostAddressRange } from './host-address-range.js';
import { destroyedError, memoryArgumentError, misuseOf } from './misuse.js';
import {
  snapshotAllocateInfo,
  snapshotHandle,
  snapshotMapInfo,
  snapshotRanges,
  snapshotUnmapInfo,
} from '../snapshot.js';

/** Every handle the front issues, on every device of every backend. */
const FRONT_HANDLES = new HandleRegistry(true);

const { VK_MEMORY_PROPERTY_HOST_COHERENT_BIT } = VkMemoryPropertyFlagBits;
const { VK_MEMORY_MAP_PLACED_BIT_EXT } = VkMemoryMapFlagBits;
const { VK_MEMORY_UNMAP_RESERVE_BIT_EXT } = VkMemoryUnmapFlagBits;
const MAX_VIEW_BYTES = BigInt(Number.MAX_SAFE_INTEGER);

type MapCommand = 'vkMapMemory' | 'vkMapMemory2' | 'vkMapMemory2KHR';
type UnmapCommand = 'vkUnmapMemory' | 'vkUnmapMemory2' | 'vkUnmapMemory2KHR';

export interface FrontDeviceInit<M, R extends BackendAddressRange> {
  readonly physicalDevice: PhysicalDevice;
  readonly description: PhysicalDeviceDescription;
  readonly request: DeviceRequest;
  readonly backend: DeviceBackend<M, R>;
  /** Called once the device is destroyed, so that its parent forgets it. */
  readonly onDestroy: (device: FrontDevice<M, R>) => void;
}

function factsOf(description: PhysicalDeviceDescription, request: DeviceRequest): DeviceFacts {
  const limits = description.properties.limits;
  return {
    apiVersion: request.apiVersion,
    enabledExtensions: request.extensions,
    placedExtensionEnabled: request.extensions.has(VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME),
    features: request.features,
    memoryTypes: description.memoryProperties.memoryTypes,
    memoryHeaps: description.memoryProperties.memoryHeaps,
    nonCoherentAtomSize: limits.nonCoherentAtomSize,
    maxMemoryAllocationCount: limits.maxMemoryAllocationCount,
    minPlacedMemoryMapAlignment: description.mapMemoryPlacedProperties?.minPlacedMemoryMapAlignment ?? 0n,
  };
}

export class FrontDevice<M = unknown, R extends BackendAddressRange = BackendAddressRange> implements Device {
  readonly physicalDevice: PhysicalDevice;
  readonly apiVersion: number;
  readonly enabledExtensions: ReadonlySet<string>;
  readonly enabledFeatures: PhysicalDeviceFeatures;
  /** The backend this front serves; subclasses reach it for their backend's own extras. */
  protected readonly backend: DeviceBackend<M, R>;
  private readonly table: HandleTable<M>;
  private readonly failures = new FailureList();
  private readonly ctx: CallContext;
  /** The live address ranges of this device, by the backend's record. */
  private readonly ranges = new Map<R, FrontHostAddressRange>();
  private readonly onDestroy: (device: FrontDevice<M, R>) => void;
  private readonly deviceName: string;

  constructor(init: FrontDeviceInit<M, R>) {
    this.physicalDevice = init.physicalDevice;
    this.apiVersion = init.request.apiVersion;
    this.enabledExtensions = init.request.extensions;
    this.enabledFeatures = init.request.features;
    this.backend = init.backend;
    this.onDestroy = init.onDestroy;
    this.deviceName = init.description.properties.deviceName;
    this.table = new HandleTable<M>(factsOf(init.description, init.request), FRONT_HANDLES);
    this.ctx = { state: this.table as HandleTable, failures: this.failures };
  }

  get isDestroyed(): boolean {
    return this.table.isDestroyed;
  }

  hasCommand(name: string): boolean {
    return typeof name === 'string' && isDeviceCommandAvailable(name, this.apiVersion, this.enabledExtensions);
  }

  // ---- allocation -----------------------------------------------------------------------------------

  allocateMemory(info: MemoryAllocateInfo): DeviceMemory {
    this.enter('vkAllocateMemory');
    const args = snapshotAllocateInfo(info) as MemoryAllocateInfo;
    const checked = checkAllocateMemory(this.ctx, args);
    this.refuseMisuse('vkAllocateMemory');
    const { allocationSize, memoryTypeIndex } = checked!;
    const flagsInfo = findInChain<MemoryAllocateFlagsInfo>(
      args.pNext,
      VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO,
    );
    const deviceMask =
      flagsInfo && flagsInfo.flags & VkMemoryAllocateFlagBits.VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT
        ? flagsInfo.deviceMask
        : undefined;
    const heapIndex = this.table.facts.memoryTypes[memoryTypeIndex]!.heapIndex;
    const { handle, memory } = this.backend.allocateMemory({
      size: allocationSize,
      memoryTypeIndex,
      heapIndex,
      deviceMask,
    });
    const object = new DeviceMemoryHandle(handle, allocationSize, memoryTypeIndex);
    this.table.recordAllocation(object, memoryTypeIndex, allocationSize, memory);
    return object;
  }

  freeMemory(memory: DeviceMemory | null): void {
    this.enter('vkFreeMemory');
    const record = checkFreeMemory(this.ctx, snapshotHandle(memory)) as MemoryRecord<M> | undefined;
    this.refuseMisuse('vkFreeMemory');
    if (!record) return;
    const mapping = record.mapping;
    this.backend.freeMemory(record.backend);
    if (mapping) endHostMapping(mapping as HostMapping, 'the memory was freed');
    this.table.recordFree(record);
  }

  // ---- mapping --------------------------------------------------------------------------------------

  mapMemory(memory: DeviceMemory, offset: DeviceSizeInput, size: DeviceSizeInput, flags?: number): MappedMemory {
    this.enter('vkMapMemory');
    const handle = snapshotHandle(memory);
    checkMapMemory(this.ctx, handle, offset, size, flags);
    this.refuseMisuse('vkMapMemory');
    const record = this.table.lookup(handle) as MemoryRecord<M>;
    return this.map('vkMapMemory', record, readDeviceSize(offset, 'offset'), readDeviceSize(size, 'size'), undefined);
  }

  mapMemory2(info: MemoryMapInfo): MappedMemory {
    return this.map2('vkMapMemory2', info);
  }

  mapMemory2KHR(info: MemoryMapInfo): MappedMemory {
    return this.map2('vkMapMemory2KHR', info);
  }

  unmapMemory(memory: DeviceMemory): void {
    this.enter('vkUnmapMemory');
    const handle = snapshotHandle(memory);
    checkUnmapMemory(this.ctx, handle);
    this.refuseMisuse('vkUnmapMemory');
    this.unmap('vkUnmapMemory', this.table.lookup(handle) as MemoryRecord<M>, false);
  }

  unmapMemory2(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.unmap2('vkUnmapMemory2', info);
  }

  unmapMemory2KHR(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.unmap2('vkUnmapMemory2KHR', info);
  }

  flushMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    const resolved = this.resolveRanges('vkFlushMappedMemoryRanges', ranges);
    if (resolved.length > 0) this.backend.flushMappedMemoryRanges(resolved);
  }

  invalidateMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    const resolved = this.resolveRanges('vkInvalidateMappedMemoryRanges', ranges);
    if (resolved.length > 0) this.backend.invalidateMappedMemoryRanges(resolved);
  }

  // ---- queries and host address space --------------------------------------------------------------

  getMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined {
    this.requireLive('getMemoryBudget');
    return this.backend.getMemoryBudget();
  }

  reserveAddressRange(size: DeviceSizeInput, alignment?: DeviceSizeInput): HostAddressRange {
    this.requireLive('reserveAddressRange');
    const bytesWanted = toDeviceSize(size, 'size');
    if (bytesWanted === 0n) throw new VkmapArgumentError('size', 'must be greater than 0');
    const page = this.backend.pageSize;
    const align = toOptionalDeviceSize(alignment, 'alignment', page);
    if (!isPowerOfTwo(align)) throw new VkmapArgumentError('alignment', `must be a power of two (got ${align})`);
    return this.adoptRange(this.backend.reserveAddressRange(alignUp(bytesWanted, page), align > page ? align : page));
  }

  destroy(): void {
    if (this.table.isDestroyed) return;
    const mappings = [...this.table.liveMappings()].map((record) => record.mapping as HostMapping);
    this.backend.destroy();
    this.table.recordDestroy();
    for (const mapping of mappings) endHostMapping(mapping, 'the device was destroyed');
    for (const range of this.ranges.values()) range.forget();
    this.ranges.clear();
    this.onDestroy(this);
  }

  toString(): string {
    return `Device(${this.deviceName}${this.isDestroyed ? ', destroyed' : ''})`;
  }

  // ---- for subclasses -------------------------------------------------------------------------------

  /** A live memory object of this device, for a backend's own extras; throws the front's misuse errors. */
  protected liveMemory(what: string, memory: unknown, argument = 'memory'): MemoryRecord<M> {
    this.requireLive(what);
    const handle = snapshotHandle(memory);
    const found = this.table.lookup(handle);
    if (typeof found !== 'string') return found;
    throw memoryArgumentError(argument, found, memoryProblemMessage(found, handle, argument));
  }

  /** Live allocations of this device. */
  protected get liveAllocationCount(): number {
    return this.table.liveAllocationCount;
  }

  // ---- internals ------------------------------------------------------------------------------------

  /** Starts a command: the entry point must exist on this device, and the device must be live. */
  private enter(command: CommandName): void {
    if (!this.hasCommand(command)) throw unavailableCommandError(command, this.apiVersion, this.enabledExtensions);
    this.failures.begin(false, false);
    if (!this.table.isDestroyed) return;
    const core = (commandFacts(command) as { aliasOf?: string }).aliasOf ?? command;
    this.failures.add(
      `VUID-${core}-device-parameter` as VuidId,
      'the device has been destroyed; no command may be called on it',
    );
    this.refuseMisuse(command);
  }

  private requireLive(what: string): void {
    if (this.table.isDestroyed) throw destroyedError(what, 'device');
  }

  /** Throws the first failure of the call that the front does not leave to the validation layer. */
  private refuseMisuse(command: CommandName): void {
    if (this.failures.isEmpty) return;
    const error = misuseOf(command, this.failures.takeRuleFailures());
    if (error) throw error;
  }

  private map2(command: 'vkMapMemory2' | 'vkMapMemory2KHR', info: MemoryMapInfo): MappedMemory {
    this.enter(command);
    const args = snapshotMapInfo(info) as MemoryMapInfo;
    checkMapMemory2(this.ctx, args);
    this.refuseMisuse(command);
    const record = this.table.lookup(args.memory) as MemoryRecord<M>;
    const placed = ((args.flags ?? 0) & VK_MEMORY_MAP_PLACED_BIT_EXT) !== 0;
    const placedAddress = placed
      ? findInChain<MemoryMapPlacedInfoEXT>(args.pNext, VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT)!
          .pPlacedAddress
      : undefined;
    return this.map(
      command,
      record,
      readDeviceSize(args.offset, 'pMemoryMapInfo.offset'),
      readDeviceSize(args.size, 'pMemoryMapInfo.size'),
      placedAddress,
    );
  }

  private map(
    command: MapCommand,
    record: MemoryRecord<M>,
    offset: bigint,
    requestedSize: bigint,
    placedAddress: bigint | undefined,
  ): MappedMemory {
    const size = requestedSize === VK_WHOLE_SIZE ? record.allocationSize - offset : requestedSize;
    if (size > MAX_VIEW_BYTES) {
      throw new VkError(
        command,
        'VK_ERROR_MEMORY_MAP_FAILED',
        `${bytes(size)} cannot be viewed from JavaScript (at most 2^53 - 1 bytes)`,
      );
    }
    if (placedAddress !== undefined) this.requireReservedRange(command, placedAddress, size);
    const { address, view } = this.backend.mapMemory(record.backend, {
      command,
      offset,
      requestedSize,
      size,
      placedAddress,
    });
    const mapping = new HostMapping({
      memory: record.memory,
      offset,
      size,
      address,
      isCoherent: (record.propertyFlags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT) !== 0,
      isPlaced: placedAddress !== undefined,
      view,
    });
    this.table.recordMap(record, mapping);
    return mapping;
  }

  /** Placed maps go only into address space this device reserved; anything else could only fail. */
  private requireReservedRange(command: MapCommand, address: bigint, size: bigint): void {
    const length = alignUp(size, this.backend.pageSize);
    for (const range of this.ranges.values()) if (range.isReserved && range.contains(address, length)) return;
    throw new VkError(
      command,
      'VK_ERROR_MEMORY_MAP_FAILED',
      `the placed range ${hex(address)} (+${length} bytes) is not inside one address range this device reserved with reserveAddressRange()`,
    );
  }

  private unmap2(command: 'vkUnmapMemory2' | 'vkUnmapMemory2KHR', info: MemoryUnmapInfo): HostAddressRange | undefined {
    this.enter(command);
    const args = snapshotUnmapInfo(info) as MemoryUnmapInfo;
    checkUnmapMemory2(this.ctx, args);
    this.refuseMisuse(command);
    const reserve = ((args.flags ?? 0) & VK_MEMORY_UNMAP_RESERVE_BIT_EXT) !== 0;
    return this.unmap(command, this.table.lookup(args.memory) as MemoryRecord<M>, reserve);
  }

  private unmap(command: UnmapCommand, record: MemoryRecord<M>, reserve: boolean): HostAddressRange | undefined {
    const mapping = record.mapping as HostMapping;
    const kept = this.backend.unmapMemory(record.backend, { command, reserve });
    endHostMapping(mapping, 'the memory was unmapped');
    this.table.recordUnmap(record);
    return kept === undefined ? undefined : this.adoptRange(kept);
  }

  private resolveRanges(
    command: 'vkFlushMappedMemoryRanges' | 'vkInvalidateMappedMemoryRanges',
    ranges: readonly MappedMemoryRange[],
  ): ResolvedRange<M>[] {
    this.enter(command);
    const args = snapshotRanges(ranges) as readonly MappedMemoryRange[];
    checkMappedMemoryRanges(this.ctx, args, command === 'vkFlushMappedMemoryRanges' ? FLUSH_VUIDS : INVALIDATE_VUIDS);
    this.refuseMisuse(command);
    const resolved: ResolvedRange<M>[] = [];
    for (const [index, range] of args.entries()) {
      const record = this.table.lookup(range.memory) as MemoryRecord<M>;
      const offset = readDeviceSize(range.offset, `pMemoryRanges[${index}].offset`);
      const size = readDeviceSize(range.size, `pMemoryRanges[${index}].size`);
      // An empty range is valid and asks for nothing.
      if (size === 0n) continue;
      const mapping = record.mapping!;
      const end = size === VK_WHOLE_SIZE ? mapping.offset + mapping.size : offset + size;
      resolved.push({ memory: record.backend, offset, size, end });
    }
    return resolved;
  }

  private adoptRange(backendRange: R): FrontHostAddressRange {
    let range = this.ranges.get(backendRange);
    if (!range) {
      range = new FrontHostAddressRange(
        {
          placedMappingInside: (address, size) => this.placedMappingInside(address, size),
          release: () => {
            this.backend.releaseAddressRange(backendRange);
            this.ranges.delete(backendRange);
          },
        },
        backendRange.address,
        backendRange.size,
      );
      this.ranges.set(backendRange, range);
    }
    return range;
  }

  private placedMappingInside(address: bigint, size: bigint): string | undefined {
    for (const record of this.table.liveMappings()) {
      const m = record.mapping!;
      if (m.isPlaced && m.address < address + size && address < m.address + m.size)
        return `${String(record.memory)} at ${hex(m.address)}`;
    }
    return undefined;
  }
}
