/**
 * The native logical device: the checked front of @vkmap/core over the native backend, which marshals each
 * call to the addon. Every value here has been checked by the front; what the addon checks again is only
 * what keeps pointers and views sound (src/addon/mapping.cc).
 */
import {
  FrontDevice,
  isDeviceCommandAvailable,
  VK_API_VERSION_1_0,
  VkMemoryMapFlagBits,
  VkMemoryUnmapFlagBits,
  type DeviceBackend,
  type FrontDeviceInit,
  type MapRequest,
  type PhysicalDeviceMemoryBudgetPropertiesEXT,
  type ResolvedRange,
} from '@vkmap/core';
import { NativeAddressRanges, type NativeAddressRange } from './address-range.js';
import type { NativeBinding, UnmapCommandName } from './binding.js';
import { callAddon } from './errors.js';
import { guardedView } from './views.js';

/** The native backend's record of a memory object: the VkDeviceMemory value the addon knows it by. */
export interface NativeMemory {
  readonly handle: bigint;
}

/** The commands of the family every driver provides (Vulkan 1.0, no extension), from the command table. */
const NO_EXTENSIONS: ReadonlySet<string> = new Set();

export interface NativeDeviceSpec {
  readonly binding: NativeBinding;
  readonly id: number;
  readonly driverCommands: Readonly<Record<string, boolean>>;
  readonly queryMemoryBudget: () => PhysicalDeviceMemoryBudgetPropertiesEXT | undefined;
}

export class NativeDeviceBackend implements DeviceBackend<NativeMemory, NativeAddressRange> {
  readonly pageSize: bigint;
  readonly driverCommands: Readonly<Record<string, boolean>>;
  private readonly binding: NativeBinding;
  private readonly id: number;
  private readonly ranges = new NativeAddressRanges();
  private readonly queryMemoryBudget: () => PhysicalDeviceMemoryBudgetPropertiesEXT | undefined;

  constructor(spec: NativeDeviceSpec) {
    this.binding = spec.binding;
    this.id = spec.id;
    this.driverCommands = spec.driverCommands;
    this.queryMemoryBudget = spec.queryMemoryBudget;
    this.pageSize = BigInt(spec.binding.pageSize());
  }

  allocateMemory(request: {
    readonly size: bigint;
    readonly memoryTypeIndex: number;
    readonly deviceMask: number | undefined;
  }) {
    const handle = callAddon(() =>
      this.binding.allocateMemory(this.id, request.size, request.memoryTypeIndex, request.deviceMask),
    );
    return { handle, memory: { handle } };
  }

  freeMemory(memory: NativeMemory): void {
    callAddon(() => this.binding.freeMemory(this.id, memory.handle));
  }

  mapMemory(memory: NativeMemory, { command, offset, requestedSize, placedAddress }: MapRequest) {
    const flags = placedAddress === undefined ? 0 : VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT;
    const result = callAddon(() =>
      this.binding.mapMemory(this.id, memory.handle, offset, requestedSize, command, flags, placedAddress),
    );
    return { address: result.address, view: guardedView(result.buffer, this.binding.viewsKeyed) };
  }

  unmapMemory(
    memory: NativeMemory,
    { command, reserve }: { readonly command: UnmapCommandName; readonly reserve: boolean },
  ) {
    const flags = reserve ? VkMemoryUnmapFlagBits.VK_MEMORY_UNMAP_RESERVE_BIT_EXT : 0;
    const range = callAddon(() => this.binding.unmapMemory(this.id, memory.handle, command, flags));
    return range ? this.ranges.recordOf(range) : undefined;
  }

  flushMappedMemoryRanges(ranges: readonly ResolvedRange<NativeMemory>[]): void {
    callAddon(() => this.binding.mappedMemoryRanges(this.id, triples(ranges), false));
  }

  invalidateMappedMemoryRanges(ranges: readonly ResolvedRange<NativeMemory>[]): void {
    callAddon(() => this.binding.mappedMemoryRanges(this.id, triples(ranges), true));
  }

  getMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined {
    return this.queryMemoryBudget();
  }

  reserveAddressRange(size: bigint, alignment: bigint): NativeAddressRange {
    return this.ranges.recordOf(callAddon(() => this.binding.reserveAddressRange(size, alignment)));
  }

  releaseAddressRange(range: NativeAddressRange): void {
    callAddon(() => this.binding.releaseAddressRange(range.id));
    this.ranges.forget(range);
  }

  destroy(): void {
    callAddon(() => this.binding.destroyDevice(this.id));
    for (const range of this.ranges.takeAll()) callAddon(() => this.binding.releaseAddressRange(range.id));
  }
}

/** [handle, offset, size] per range, the size as the application gave it (VK_WHOLE_SIZE passes through). */
function triples(ranges: readonly ResolvedRange<NativeMemory>[]): [bigint, bigint, bigint][] {
  return ranges.map(({ memory, offset, size }) => [memory.handle, offset, size]);
}

export class NativeDevice extends FrontDevice<NativeMemory, NativeAddressRange> {
  private readonly native: NativeDeviceBackend;

  constructor(init: FrontDeviceInit<NativeMemory, NativeAddressRange>, backend: NativeDeviceBackend) {
    super(init);
    this.native = backend;
  }

  /**
   * Whether the driver itself returns the command from vkGetDeviceProcAddr (for diagnostics; where it does
   * not, an available *2 command is served over vkMapMemory / vkUnmapMemory).
   */
  driverHasCommand(name: string): boolean {
    return this.native.driverCommands[name] ?? isDeviceCommandAvailable(name, VK_API_VERSION_1_0, NO_EXTENSIONS);
  }
}
