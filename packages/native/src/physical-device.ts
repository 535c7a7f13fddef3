/** A physical device: its description (queried once, at instance creation) marshalled, and device creation. */
import { endianness } from 'node:os';
import {
  decodePhysicalDeviceLimits,
  FrontPhysicalDevice,
  noFeatures,
  VK_API_VERSION_1_4,
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
  type DeviceCreateInfo,
  type DeviceRequest,
  type PhysicalDeviceBackend,
  type PhysicalDeviceDescription,
  type PhysicalDeviceMemoryBudgetPropertiesEXT,
} from '@vkmap/core';
import type { BindingPhysicalDevice, NativeBinding } from './binding.js';
import { NativeDevice, NativeDeviceBackend } from './device.js';
import { callAddon } from './errors.js';

/** The description the front serves, from the addon's (the limits decoded from their C bytes). */
function describe(binding: BindingPhysicalDevice): PhysicalDeviceDescription {
  const { limitsBytes, pointerSize, maxMemoryAllocationSize, ...properties } = binding.properties;
  return {
    properties: {
      ...properties,
      limits: decodePhysicalDeviceLimits(
        new Uint8Array(limitsBytes),
        pointerSize,
        endianness() === 'LE',
        maxMemoryAllocationSize,
      ),
    },
    memoryProperties: binding.memoryProperties,
    queueFamilies: binding.queueFamilies,
    extensions: binding.extensions,
    features: { ...noFeatures(), mapMemoryPlaced: binding.placedFeatures },
    ...(binding.minPlacedMemoryMapAlignment === undefined
      ? {}
      : { mapMemoryPlacedProperties: { minPlacedMemoryMapAlignment: binding.minPlacedMemoryMapAlignment } }),
  };
}

/** What a physical device backend needs of its instance. */
export interface NativeInstanceHandle {
  readonly binding: NativeBinding;
  readonly id: number;
}

export class NativePhysicalDeviceBackend implements PhysicalDeviceBackend {
  readonly description: PhysicalDeviceDescription;
  private readonly instance: NativeInstanceHandle;
  private readonly index: number;
  private readonly hasMemoryBudget: boolean;

  constructor(instance: NativeInstanceHandle, index: number, binding: BindingPhysicalDevice) {
    this.instance = instance;
    this.index = index;
    this.description = describe(binding);
    this.hasMemoryBudget = binding.hasMemoryBudget;
  }

  createDevice(request: DeviceRequest): NativeDeviceBackend {
    const { binding, id } = this.instance;
    const { extensions, placed } = this.withViewWindows(request);
    const anyPlaced = placed.memoryMapPlaced || placed.memoryMapRangePlaced || placed.memoryUnmapReserve;
    const created = callAddon(() =>
      binding.createDevice(
        id,
        this.index,
        request.apiVersion,
        [...extensions],
        anyPlaced ? { ...placed } : undefined,
        request.queues.map(({ queueFamilyIndex, priorities }) => ({ queueFamilyIndex, priorities })),
      ),
    );
    return new NativeDeviceBackend({
      binding,
      id: created.id,
      views: request.views,
      driverCommands: Object.freeze({ ...created.driverCommands }),
      queryMemoryBudget: () => this.queryMemoryBudget(),
    });
  }

  /**
   * The extensions and placed-map features the driver is asked for: the application's, plus
   * VK_EXT_map_memory_placed with memoryMapPlaced and memoryUnmapReserve wherever the device supports them,
   * so that the addon can place every mapping of memory the driver maps as device memory (which it cannot
   * alias) into a window of its own. Without that window a view is the driver's pointer, which the driver
   * unmaps at free: Node's thread pool could still be writing there. The front still refuses placed maps the
   * application did not enable.
   */
  private withViewWindows(request: DeviceRequest): {
    readonly extensions: ReadonlySet<string>;
    readonly placed: DeviceRequest['features']['mapMemoryPlaced'];
  } {
    const supported = this.description.features.mapMemoryPlaced;
    const offered = new Set(this.description.extensions.map((e) => e.extensionName));
    const requested = request.features.mapMemoryPlaced;
    const needsMap2 = request.apiVersion < VK_API_VERSION_1_4;
    if (
      !supported.memoryMapPlaced ||
      !supported.memoryUnmapReserve ||
      !offered.has(VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME) ||
      (needsMap2 && !offered.has(VK_KHR_MAP_MEMORY_2_EXTENSION_NAME))
    ) {
      return { extensions: request.extensions, placed: requested };
    }
    const extensions = new Set(request.extensions).add(VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME);
    if (needsMap2) extensions.add(VK_KHR_MAP_MEMORY_2_EXTENSION_NAME);
    return { extensions, placed: { ...requested, memoryMapPlaced: true, memoryUnmapReserve: true } };
  }

  /** VK_EXT_memory_budget values now, or undefined without the extension. */
  queryMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined {
    if (!this.hasMemoryBudget) return undefined;
    return callAddon(() => this.instance.binding.getMemoryBudget(this.instance.id, this.index));
  }
}

export class NativePhysicalDevice extends FrontPhysicalDevice<NativePhysicalDeviceBackend> {
  protected override newDevice(request: DeviceRequest, info: DeviceCreateInfo): NativeDevice {
    void info;
    const backend = this.backend.createDevice(request);
    return new NativeDevice(this.deviceInit(request, backend), backend);
  }
}
