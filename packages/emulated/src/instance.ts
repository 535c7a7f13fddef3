import {
  FrontInstance,
  toUint32,
  VK_API_VERSION_1_4,
  VkmapArgumentError,
  type InstanceBackend,
  type PhysicalDeviceBackend,
  type PhysicalDeviceParent,
} from '@vkmap/core';
import { EmulatedPhysicalDevice, EmulatedPhysicalDeviceBackend } from './physical-device.js';
import type { DeviceProfile } from './profile.js';
import { builtInProfiles, getBuiltInProfile } from './profiles/index.js';
import { validateProfile } from './validate-profile.js';

export interface EmulatedInstanceOptions {
  /** The GPUs to emulate: built-in profile ids or profile objects. Default: every built-in profile. */
  readonly profiles?: ReadonlyArray<string | DeviceProfile>;
  /** The application's Vulkan version; devices run at min(this, the profile's). Default 1.4. */
  readonly apiVersion?: number;
  /** Seed of every device's fault injection. Default 1. */
  readonly seed?: number;
}

/** The emulated instance backend: its profiles, checked. */
class EmulatedInstanceBackend implements InstanceBackend {
  readonly backendName = 'emulated';
  readonly apiVersion: number;
  readonly seed: number;
  private readonly devices: readonly EmulatedPhysicalDeviceBackend[];

  constructor(options: EmulatedInstanceOptions) {
    this.apiVersion = toUint32(options.apiVersion ?? VK_API_VERSION_1_4, 'apiVersion');
    this.seed = toUint32(options.seed ?? 1, 'seed');
    const requested = options.profiles ?? builtInProfiles;
    if (!Array.isArray(requested) || requested.length === 0) {
      throw new VkmapArgumentError('profiles', 'must be a non-empty array of profile ids or profile objects');
    }
    this.devices = requested.map(
      (entry, index) =>
        new EmulatedPhysicalDeviceBackend(
          typeof entry === 'string' ? getBuiltInProfile(entry) : validateProfile(entry),
          this.seed,
          index,
        ),
    );
  }

  physicalDevices(): readonly EmulatedPhysicalDeviceBackend[] {
    return this.devices;
  }

  destroy(): void {}
}

export class EmulatedInstance extends FrontInstance<EmulatedInstanceBackend> {
  readonly seed: number;

  constructor(options: EmulatedInstanceOptions = {}) {
    const backend = new EmulatedInstanceBackend(options);
    super(backend);
    this.seed = backend.seed;
  }

  override enumeratePhysicalDevices(): readonly EmulatedPhysicalDevice[] {
    return super.enumeratePhysicalDevices() as readonly EmulatedPhysicalDevice[];
  }

  protected override newPhysicalDevice(
    parent: PhysicalDeviceParent,
    backend: PhysicalDeviceBackend,
  ): EmulatedPhysicalDevice {
    return new EmulatedPhysicalDevice(parent, backend as EmulatedPhysicalDeviceBackend);
  }
}

/** Creates an emulated Vulkan instance whose physical devices are the given profiles. */
export function createEmulatedInstance(options?: EmulatedInstanceOptions): EmulatedInstance {
  return new EmulatedInstance(options);
}
