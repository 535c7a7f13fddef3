/**
 * The logical device: the memory commands, each checked before the addon is called (handle state, ranges,
 * flags, chains), so that a wrong call throws a clear error and changes nothing.
 */
import {
  describeValue,
  DeviceMemoryHandle,
  endHostMapping,
  HostMapping,
  findInChain,
  isDeviceCommandAvailable,
  isPowerOfTwo,
  alignUp,
  toByteLength,
  toDeviceSize,
  toOptionalDeviceSize,
  toUint32,
  VK_WHOLE_SIZE,
  VkMemoryAllocateFlagBits,
  VkMemoryMapFlagBits,
  VkMemoryPropertyFlagBits,
  VkMemoryUnmapFlagBits,
  VkmapArgumentError,
  VkmapStateError,
  VkStructureType,
  type BaseInStructure,
  type Device,
  type DeviceMemory,
  type DeviceSizeInput,
  type HostAddressRange,
  type MappedMemory,
  type MappedMemoryRange,
  type MemoryAllocateFlagsInfo,
  type MemoryAllocateInfo,
  type MemoryMapInfo,
  type MemoryMapPlacedInfoEXT,
  type MemoryUnmapInfo,
  type PhysicalDeviceMapMemoryPlacedFeaturesEXT,
  type PhysicalDeviceMemoryBudgetPropertiesEXT,
} from '@vkmap/core';
import { MapCommand, type MapCommandValue, type NativeBinding } from './binding.js';
import { callAddon } from './errors.js';
import { hostAddressRange } from './address-range.js';
import type { NativePhysicalDevice } from './physical-device.js';
import { guardedView } from './views.js';

/** Which device allocated each memory object (a memory object outlives neither). */
const owners = new WeakMap<object, NativeDevice>();

interface MemoryState {
  readonly propertyFlags: number;
  mapping: HostMapping | undefined;
}

export interface NativeDeviceInit {
  readonly binding: NativeBinding;
  readonly id: number;
  readonly physicalDevice: NativePhysicalDevice;
  readonly apiVersion: number;
  readonly enabledExtensions: ReadonlySet<string>;
  readonly enabledFeatures: PhysicalDeviceMapMemoryPlacedFeaturesEXT;
  readonly driverCommands: Readonly<Record<string, boolean>>;
  readonly onDestroy: (device: NativeDevice) => void;
}

const MAP_NAMES = { vkMapMemory2: MapCommand.vkMapMemory2, vkMapMemory2KHR: MapCommand.vkMapMemory2KHR } as const;
const UNMAP_NAMES = { vkUnmapMemory2: MapCommand.vkMapMemory2, vkUnmapMemory2KHR: MapCommand.vkMapMemory2KHR } as const;

export class NativeDevice implements Device {
  readonly physicalDevice: NativePhysicalDevice;
  readonly apiVersion: number;
  readonly enabledExtensions: ReadonlySet<string>;
  readonly enabledFeatures: Readonly<PhysicalDeviceMapMemoryPlacedFeaturesEXT>;
  readonly #binding: NativeBinding;
  readonly #id: number;
  readonly #driverCommands: Readonly<Record<string, boolean>>;
  readonly #onDestroy: (device: NativeDevice) => void;
  readonly #memories = new Map<DeviceMemoryHandle, MemoryState>();
  #destroyed = false;

  constructor(init: NativeDeviceInit) {
    this.#binding = init.binding;
    this.#id = init.id;
    this.physicalDevice = init.physicalDevice;
    this.apiVersion = init.apiVersion;
    this.enabledExtensions = init.enabledExtensions;
    this.enabledFeatures = Object.freeze({ ...init.enabledFeatures });
    this.#driverCommands = init.driverCommands;
    this.#onDestroy = init.onDestroy;
  }

  get isDestroyed(): boolean {
    return this.#destroyed;
  }

  hasCommand(name: string): boolean {
    return typeof name === 'string' && isDeviceCommandAvailable(name, this.apiVersion, this.enabledExtensions);
  }

  /**
   * Whether the driver itself returns the command from vkGetDeviceProcAddr (for diagnostics; where it does
   * not, an available *2 command is served over vkMapMemory / vkUnmapMemory).
   */
  driverHasCommand(name: string): boolean {
    return this.#driverCommands[name] ?? ['vkAllocateMemory', 'vkFreeMemory', 'vkMapMemory', 'vkUnmapMemory',
      'vkFlushMappedMemoryRanges', 'vkInvalidateMappedMemoryRanges'].includes(name);
  }

  // ---- allocation ---------------------------------------------------------------------------------

  allocateMemory(info: MemoryAllocateInfo): DeviceMemory {
    this.#assertLive('vkAllocateMemory');
    assertStructure(info, 'info', VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO);
    const size = toDeviceSize(info.allocationSize, 'info.allocationSize');
    const typeIndex = toUint32(info.memoryTypeIndex, 'info.memoryTypeIndex');
    const types = this.physicalDevice.getMemoryProperties().memoryTypes;
    const type = types[typeIndex];
    if (!type) {
      throw new VkmapArgumentError(
        'info.memoryTypeIndex',
        `must be less than memoryTypeCount (${types.length}) of this device (got ${typeIndex})`,
      );
    }
    if (size === 0n) throw new VkmapArgumentError('info.allocationSize', 'must be greater than 0');
    assertChain(info.pNext, 'info.pNext', [VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO]);
    let deviceMask: number | undefined;
    const flagsInfo = findInChain<MemoryAllocateFlagsInfo>(
      info.pNext,
      VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO,
    );
    if (flagsInfo) {
      const flags = toUint32(flagsInfo.flags, 'VkMemoryAllocateFlagsInfo.flags');
      if ((flags & ~VkMemoryAllocateFlagBits.VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT) !== 0) {
        throw new VkmapArgumentError(
          'VkMemoryAllocateFlagsInfo.flags',
          'only VK_MEMORY_ALLOCATE_DEVICE_MASK_BIT is supported (device addresses need features this backend does not enable)',
        );
      }
      if (flags !== 0) deviceMask = toUint32(flagsInfo.deviceMask, 'VkMemoryAllocateFlagsInfo.deviceMask');
    }
    const handle = callAddon(() => this.#binding.allocateMemory(this.#id, size, typeIndex, deviceMask));
    const memory = new DeviceMemoryHandle(handle, size, typeIndex);
    owners.set(memory, this);
    this.#memories.set(memory, { propertyFlags: type.propertyFlags, mapping: undefined });
    return memory;
  }

  freeMemory(memory: DeviceMemory | null): void {
    this.#assertLive('vkFreeMemory');
    if (memory === null) return;
    const [object, state] = this.#memory(memory, 'memory');
    callAddon(() => this.#binding.freeMemory(this.#id, object.handle));
    if (state.mapping) endHostMapping(state.mapping, 'the memory was freed');
    this.#memories.delete(object);
  }

  // ---- mapping ------------------------------------------------------------------------------------

  mapMemory(memory: DeviceMemory, offset: DeviceSizeInput, size: DeviceSizeInput, flags = 0): MappedMemory {
    this.#assertLive('vkMapMemory');
    const flagBits = toUint32(flags, 'flags');
    if (flagBits !== 0) {
      throw new VkmapArgumentError(
        'flags',
        `must be 0 for vkMapMemory (got ${flagBits}); VK_MEMORY_MAP_PLACED_BIT_EXT needs mapMemory2`,
      );
    }
    return this.#map(MapCommand.vkMapMemory, memory, offset, size, 0, undefined, 'memory');
  }

  mapMemory2(info: MemoryMapInfo): MappedMemory {
    return this.#map2('vkMapMemory2', info);
  }

  mapMemory2KHR(info: MemoryMapInfo): MappedMemory {
    return this.#map2('vkMapMemory2KHR', info);
  }

  unmapMemory(memory: DeviceMemory): void {
    this.#assertLive('vkUnmapMemory');
    this.#unmap(MapCommand.vkMapMemory, memory, 0, 'memory');
  }

  unmapMemory2(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.#unmap2('vkUnmapMemory2', info);
  }

  unmapMemory2KHR(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.#unmap2('vkUnmapMemory2KHR', info);
  }

  flushMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    this.#assertLive('vkFlushMappedMemoryRanges');
    this.#ranges(ranges, false);
  }

  invalidateMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    this.#assertLive('vkInvalidateMappedMemoryRanges');
    this.#ranges(ranges, true);
  }

  // ---- queries and host address space ------------------------------------------------------------

  getMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined {
    this.#assertLive('getMemoryBudget');
    return this.physicalDevice.queryMemoryBudget();
  }

  reserveAddressRange(size: DeviceSizeInput, alignment?: DeviceSizeInput): HostAddressRange {
    this.#assertLive('reserveAddressRange');
    const page = BigInt(this.#binding.pageSize());
    const bytes = toDeviceSize(size, 'size');
    if (bytes === 0n) throw new VkmapArgumentError('size', 'must be greater than 0');
    const align = toOptionalDeviceSize(alignment, 'alignment', page);
    if (!isPowerOfTwo(align)) throw new VkmapArgumentError('alignment', `must be a power of two (got ${align})`);
    const rounded = alignUp(bytes, page);
    return hostAddressRange(
      this.#binding,
      callAddon(() => this.#binding.reserveAddressRange(rounded, align > page ? align : page)),
    );
  }

  destroy(): void {
    if (this.#destroyed) return;
    callAddon(() => this.#binding.destroyDevice(this.#id));
    this.#ended('the device was destroyed');
  }

  /** Called when the instance destroys its devices (the addon has already destroyed this one). */
  markDestroyed(reason: string): void {
    if (!this.#destroyed) this.#ended(reason);
  }

  toString(): string {
    return `NativeDevice(${this.physicalDevice.getProperties().deviceName}${this.#destroyed ? ', destroyed' : ''})`;
  }

  // ---- internals ----------------------------------------------------------------------------------

  #ended(reason: string): void {
    for (const state of this.#memories.values()) {
      if (state.mapping) endHostMapping(state.mapping, reason);
    }
    this.#memories.clear();
    this.#destroyed = true;
    this.#onDestroy(this);
  }

  #assertLive(command: string): void {
    if (this.#destroyed) throw new VkmapStateError(`${command}: the device has been destroyed`);
  }

  /** Resolves a memory argument to this device's live memory object, or throws. */
  #memory(memory: unknown, argument: string): [DeviceMemoryHandle, MemoryState] {
    if (typeof memory !== 'object' || memory === null) {
      throw new VkmapArgumentError(argument, `must be a DeviceMemory from allocateMemory (got ${describeValue(memory)})`);
    }
    const owner = owners.get(memory);
    if (!owner) {
      throw new VkmapArgumentError(argument, 'is not a DeviceMemory allocated by @vkmap/native');
    }
    if (owner !== this) {
      throw new VkmapStateError(`${argument} was allocated by another device; only that device can use it`);
    }
    const object = memory as DeviceMemoryHandle;
    const state = this.#memories.get(object);
    if (!state) throw new VkmapStateError(`${argument} (${String(object)}) has been freed`);
    return [object, state];
  }

  #map2(command: keyof typeof MAP_NAMES, info: MemoryMapInfo): MappedMemory {
    this.#assertLive(command);
    this.#assertCommand(command);
    assertStructure(info, 'info', VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_INFO);
    const flags = toUint32(info.flags ?? 0, 'info.flags');
    if ((flags & ~VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT) !== 0) {
      throw new VkmapArgumentError('info.flags', `only VK_MEMORY_MAP_PLACED_BIT_EXT is defined (got ${flags})`);
    }
    assertChain(info.pNext, 'info.pNext', [VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT]);
    let placedAddress: bigint | undefined;
    if (flags & VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT) {
      const placed = findInChain<MemoryMapPlacedInfoEXT>(
        info.pNext,
        VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT,
      );
      if (!placed) {
        throw new VkmapArgumentError('info.pNext', 'VK_MEMORY_MAP_PLACED_BIT_EXT needs a VkMemoryMapPlacedInfoEXT');
      }
      placedAddress = toDeviceSize(placed.pPlacedAddress, 'VkMemoryMapPlacedInfoEXT.pPlacedAddress');
    }
    return this.#map(MAP_NAMES[command], info.memory, info.offset, info.size, flags, placedAddress, 'info.memory');
  }

  #map(
    command: MapCommandValue,
    memory: DeviceMemory,
    offsetInput: DeviceSizeInput,
    sizeInput: DeviceSizeInput,
    flags: number,
    placedAddress: bigint | undefined,
    argument: string,
  ): MappedMemory {
    const [object, state] = this.#memory(memory, argument);
    const prefix = argument === 'memory' ? '' : 'info.';
    const offset = toDeviceSize(offsetInput, `${prefix}offset`);
    const size = toDeviceSize(sizeInput, `${prefix}size`);
    if ((state.propertyFlags & VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) === 0) {
      throw new VkmapArgumentError(
        argument,
        `memory type ${object.memoryTypeIndex} is not HOST_VISIBLE; only host-visible memory can be mapped`,
      );
    }
    if (state.mapping) {
      throw new VkmapStateError(
        `${String(object)} is already mapped (offset ${state.mapping.offset}, size ${state.mapping.size}); ` +
          'unmap it before mapping it again',
      );
    }
    if (offset >= object.allocationSize) {
      throw new VkmapArgumentError(
        `${prefix}offset`,
        `must be less than allocationSize ${object.allocationSize} (got ${offset})`,
      );
    }
    if (size === 0n) throw new VkmapArgumentError(`${prefix}size`, 'must be greater than 0 or VK_WHOLE_SIZE');
    const resolved = size === VK_WHOLE_SIZE ? object.allocationSize - offset : size;
    if (offset + resolved > object.allocationSize) {
      throw new VkmapArgumentError(
        `${prefix}size`,
        `offset ${offset} + size ${size} exceeds allocationSize ${object.allocationSize}; use VK_WHOLE_SIZE for the rest`,
      );
    }
    toByteLength(resolved, `${prefix}size`);
    const result = callAddon(() =>
      this.#binding.mapMemory(this.#id, object.handle, offset, size, command, flags, placedAddress),
    );
    const mapping = new HostMapping({
      memory: object,
      offset,
      size: resolved,
      address: result.address,
      isCoherent: (state.propertyFlags & VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_COHERENT_BIT) !== 0,
      isPlaced: placedAddress !== undefined,
      view: guardedView(result.buffer, this.#binding.viewsKeyed),
    });
    state.mapping = mapping;
    return mapping;
  }

  #unmap2(command: keyof typeof UNMAP_NAMES, info: MemoryUnmapInfo): HostAddressRange | undefined {
    this.#assertLive(command);
    this.#assertCommand(command);
    assertStructure(info, 'info', VkStructureType.VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO);
    assertChain(info.pNext, 'info.pNext', []);
    const flags = toUint32(info.flags ?? 0, 'info.flags');
    if ((flags & ~VkMemoryUnmapFlagBits.VK_MEMORY_UNMAP_RESERVE_BIT_EXT) !== 0) {
      throw new VkmapArgumentError('info.flags', `only VK_MEMORY_UNMAP_RESERVE_BIT_EXT is defined (got ${flags})`);
    }
    return this.#unmap(UNMAP_NAMES[command], info.memory, flags, 'info.memory');
  }

  #unmap(command: MapCommandValue, memory: DeviceMemory, flags: number, argument: string): HostAddressRange | undefined {
    const [object, state] = this.#memory(memory, argument);
    const mapping = state.mapping;
    if (!mapping) throw new VkmapStateError(`${String(object)} is not mapped`);
    const range = callAddon(() => this.#binding.unmapMemory(this.#id, object.handle, command, flags));
    endHostMapping(mapping, 'the memory was unmapped');
    state.mapping = undefined;
    return range ? hostAddressRange(this.#binding, range) : undefined;
  }

  #ranges(ranges: readonly MappedMemoryRange[], invalidate: boolean): void {
    if (!Array.isArray(ranges)) {
      throw new VkmapArgumentError('ranges', `must be an array of MappedMemoryRange (got ${describeValue(ranges)})`);
    }
    const triples: [bigint, bigint, bigint][] = [];
    ranges.forEach((range: MappedMemoryRange, i) => {
      const name = `ranges[${i}]`;
      assertStructure(range, name, VkStructureType.VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE);
      assertChain(range.pNext, `${name}.pNext`, []);
      const [object, state] = this.#memory(range.memory, `${name}.memory`);
      const offset = toDeviceSize(range.offset, `${name}.offset`);
      const size = toDeviceSize(range.size, `${name}.size`);
      const mapping = state.mapping;
      if (!mapping) throw new VkmapStateError(`${name}.memory (${String(object)}) is not mapped`);
      const end = mapping.offset + mapping.size;
      if (offset < mapping.offset || offset >= end) {
        throw new VkmapArgumentError(
          `${name}.offset`,
          `must lie in the mapped range [${mapping.offset}, ${end}) (got ${offset})`,
        );
      }
      if (size !== VK_WHOLE_SIZE && offset + size > end) {
        throw new VkmapArgumentError(
          `${name}.size`,
          `must be VK_WHOLE_SIZE or keep the range inside the mapped range ` +
            `[${mapping.offset}, ${end}) (got offset ${offset}, size ${size})`,
        );
      }
      // An empty range is valid and does nothing; the driver need not see it.
      if (size !== 0n) triples.push([object.handle, offset, size]);
    });
    if (triples.length === 0) return;
    callAddon(() => this.#binding.mappedMemoryRanges(this.#id, triples, invalidate));
  }

  #assertCommand(command: string): void {
    if (this.hasCommand(command)) return;
    const why = command.endsWith('KHR')
      ? 'it needs VK_KHR_map_memory2 in enabledExtensionNames at device creation'
      : `it is core in Vulkan 1.4 and this device's apiVersion is ${this.physicalDevice.formatVersion(this.apiVersion)}` +
        (this.enabledExtensions.has('VK_KHR_map_memory2') ? '; use the KHR alias' : '');
    throw new VkmapStateError(`${command} is not available on this device: ${why}`);
  }
}

function assertStructure(value: unknown, argument: string, sType: number): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new VkmapArgumentError(argument, `must be an object (got ${describeValue(value)})`);
  }
  const given = (value as { sType?: unknown }).sType;
  if (given !== undefined && given !== sType) {
    throw new VkmapArgumentError(`${argument}.sType`, `must be ${sType} or left out (got ${describeValue(given)})`);
  }
}

/** Checks a pNext chain: only the listed structures are understood here. */
function assertChain(chain: BaseInStructure | null | undefined, argument: string, allowed: readonly number[]): void {
  let depth = 0;
  for (let s: unknown = chain; s !== undefined && s !== null; s = (s as BaseInStructure).pNext, depth++) {
    if (typeof s !== 'object' || depth > 64) {
      throw new VkmapArgumentError(argument, 'must be a chain of structures with sType');
    }
    const sType = (s as BaseInStructure).sType;
    if (!allowed.includes(sType)) {
      throw new VkmapArgumentError(
        argument,
        `holds a structure with sType ${describeValue(sType)}, which this command does not take` +
          (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''),
      );
    }
  }
}
