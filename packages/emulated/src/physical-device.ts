import {
  FrontPhysicalDevice,
  noFeatures,
  requiredLimits,
  type Device,
  type DeviceCreateInfo,
  type DeviceRequest,
  type PhysicalDeviceBackend,
  type PhysicalDeviceDescription,
  type PhysicalDeviceLimits,
  type PhysicalDeviceMapMemoryPlacedPropertiesEXT,
  type PhysicalDeviceMemoryProperties,
  type PhysicalDeviceParent,
  VK_EXT_MEMORY_BUDGET_EXTENSION_NAME,
} from '@vkmap/core';
import { describeComputeLimits, describeQueueFamilies } from './compute-profile.js';
import type { ShaderExecutor } from './compute/shader-executor.js';
import { spirvExecutor } from './compute/spirv-executor.js';
import { EmulatedDeviceBackend } from './device-backend.js';
import { EmulatedDevice } from './device.js';
import type { DeviceProfile } from './profile.js';

export interface EmulatedDeviceCreateInfo extends DeviceCreateInfo {
  /** Seed of this device's fault injection; defaults to one derived from the instance seed. */
  readonly faultSeed?: number;
  /**
   * Runs the device's compute shaders: @vkmap/spirv's executor by default. `null` leaves the device without
   * one: it records pipelines, and a submission that dispatches is refused.
   */
  readonly shaderExecutor?: ShaderExecutor | null;
}

/**
 * A physical device as a profile describes it: its queue families (one universal family where it names none),
 * and the specification's required value for every limit it does not give.
 */
export function describeProfile(profile: DeviceProfile): PhysicalDeviceDescription {
  const placed = profile.mapMemoryPlaced;
  const features = noFeatures();
  return {
    properties: {
      apiVersion: profile.apiVersion,
      driverVersion: profile.driverVersion,
      vendorID: profile.vendorID,
      deviceID: profile.deviceID,
      deviceType: profile.deviceType,
      deviceName: profile.deviceName,
      limits: {
        ...requiredLimits(BigInt(profile.limits.maxMemoryAllocationSize)),
        minMemoryMapAlignment: profile.limits.minMemoryMapAlignment,
        nonCoherentAtomSize: BigInt(profile.limits.nonCoherentAtomSize),
        maxMemoryAllocationCount: profile.limits.maxMemoryAllocationCount,
        bufferImageGranularity: BigInt(profile.limits.bufferImageGranularity),
        ...describeComputeLimits(profile.limits),
      },
    },
    memoryProperties: {
      memoryTypes: profile.memoryTypes.map((t) => ({ propertyFlags: t.propertyFlags, heapIndex: t.heapIndex })),
      memoryHeaps: profile.memoryHeaps.map((h) => ({ size: BigInt(h.size), flags: h.flags })),
    },
    queueFamilies: describeQueueFamilies(profile.queueFamilies),
    extensions: profile.extensions.map((extensionName) => ({ extensionName, specVersion: 1 })),
    features: placed
      ? {
          ...features,
          mapMemoryPlaced: {
            memoryMapPlaced: placed.memoryMapPlaced,
            memoryMapRangePlaced: placed.memoryMapRangePlaced,
            memoryUnmapReserve: placed.memoryUnmapReserve,
          },
        }
      : features,
    ...(placed
      ? { mapMemoryPlacedProperties: { minPlacedMemoryMapAlignment: BigInt(placed.minPlacedMemoryMapAlignment) } }
      : {}),
  };
}

/** The emulated backend of one physical device: its description, and devices made from its profile. */
export class EmulatedPhysicalDeviceBackend implements PhysicalDeviceBackend {
  readonly profile: DeviceProfile;
  readonly description: PhysicalDeviceDescription;
  private readonly seed: number;
  private devicesCreated = 0;

  constructor(profile: DeviceProfile, instanceSeed: number, index: number) {
    this.profile = profile;
    this.description = describeProfile(profile);
    this.seed = (instanceSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  }

  createDevice(request: DeviceRequest, faultSeed?: number, shaderExecutor?: ShaderExecutor): EmulatedDeviceBackend {
    const seed = faultSeed ?? (this.seed ^ this.devicesCreated) >>> 0;
    this.devicesCreated += 1;
    const { limits } = this.description.properties;
    return new EmulatedDeviceBackend({
      memoryProperties: this.description.memoryProperties,
      minMemoryMapAlignment: limits.minMemoryMapAlignment,
      nonCoherentAtomSize: limits.nonCoherentAtomSize,
      maxMemoryAllocationSize: limits.maxMemoryAllocationSize,
      hostAddressSpaceSize: BigInt(this.profile.hostAddressSpaceSize),
      hostPageSize: BigInt(this.profile.hostPageSize),
      hasMemoryBudget: this.profile.extensions.includes(VK_EXT_MEMORY_BUDGET_EXTENSION_NAME),
      faultSeed: seed,
      views: request.views,
      compute: { limits, queues: request.queues, shaderExecutor },
    });
  }
}

/** One emulated GPU, described by a validated device profile. */
export class EmulatedPhysicalDevice extends FrontPhysicalDevice<EmulatedPhysicalDeviceBackend> {
  readonly profile: DeviceProfile;

  constructor(parent: PhysicalDeviceParent, backend: EmulatedPhysicalDeviceBackend) {
    super(parent, backend);
    this.profile = backend.profile;
  }

  get memoryProperties(): PhysicalDeviceMemoryProperties {
    return this.description.memoryProperties;
  }

  get limits(): PhysicalDeviceLimits {
    return this.description.properties.limits;
  }

  get placedProperties(): PhysicalDeviceMapMemoryPlacedPropertiesEXT | undefined {
    return this.description.mapMemoryPlacedProperties;
  }

  supportsExtension(name: string): boolean {
    return this.hasExtension(name);
  }

  /** Creates a logical device; with `validation`, the validation layer wraps it. */
  override createDevice(info: EmulatedDeviceCreateInfo = {}): Device {
    return super.createDevice(info);
  }

  /** Creates a logical device without any layer, with the emulator's own API (faults, device access). */
  createEmulatedDevice(info: EmulatedDeviceCreateInfo = {}): EmulatedDevice {
    return this.createUnlayeredDevice(info) as EmulatedDevice;
  }

  protected override newDevice(request: DeviceRequest, info: EmulatedDeviceCreateInfo): EmulatedDevice {
    const backend = this.backend.createDevice(
      request,
      info.faultSeed,
      info.shaderExecutor === undefined ? spirvExecutor : (info.shaderExecutor ?? undefined),
    );
    return new EmulatedDevice(this.deviceInit(request, backend), backend);
  }
}
