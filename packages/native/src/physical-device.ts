/** A physical device: its description (queried once, at instance creation) marshalled, and device creation. */
import { endianness } from 'node:os';
import {
  decodePhysicalDeviceLimits,
  FrontPhysicalDevice,
  noFeatures,
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
    const placed = request.features.mapMemoryPlaced;
    const anyPlaced = placed.memoryMapPlaced || placed.memoryMapRangePlaced || placed.memoryUnmapReserve;
    const created = callAddon(() =>
      binding.createDevice(
        id,
        this.index,
        request.apiVersion,
        [...request.extensions],
        anyPlaced ? { ...placed } : undefined,
        request.queues.map(({ queueFamilyIndex, priorities }) => ({ queueFamilyIndex, priorities })),
      ),
    );
    return new NativeDeviceBackend({
      binding,
      id: created.id,
      driverCommands: Object.freeze({ ...created.driverCommands }),
      queryMemoryBudget: () => this.queryMemoryBudget(),
    });
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
