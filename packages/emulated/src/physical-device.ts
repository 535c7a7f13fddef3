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
import { EmulatedDeviceBackend } from './device-backend.js';
import { EmulatedDevice } from './device.js';
import type { DeviceProfile } from './profile.js';

/** VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT | VK_QUEUE_TRANSFER_BIT: the emulator's one queue family. */
const UNIVERSAL_QUEUE = 0x7;

export interface EmulatedDeviceCreateInfo extends DeviceCreateInfo {
  /** Seed of this device's fault injection; defaults to one derived from the instance seed. */
  readonly faultSeed?: number;
}

/** A physical device as a profile describes it, with the specification's required value for every other limit. */
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
      },
    },
    memoryProperties: {
      memoryTypes: profile.memoryTypes.map((t) => ({ propertyFlags: t.propertyFlags, heapIndex: t.heapIndex })),
      memoryHeaps: profile.memoryHeaps.map((h) => ({ size: BigInt(h.size), flags: h.flags })),
    },
    queueFamilies: [
      {
        queueFlags: UNIVERSAL_QUEUE,
        queueCount: 1,
        timestampValidBits: 64,
        minImageTransferGranularity: { width: 1, height: 1, depth: 1 },
      },
    ],
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

  createDevice(_request: DeviceRequest, faultSeed?: number): EmulatedDeviceBackend {
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
    const backend = this.backend.createDevice(request, info.faultSeed);
    return new EmulatedDevice(this.deviceInit(request, backend), backend);
  }
}
