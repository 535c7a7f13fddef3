import { VK_API_VERSION_1_4, VkmapArgumentError, VkmapStateError, toUint32, type Instance } from '@vkmap/core';
import { EmulatedPhysicalDevice } from './physical-device.js';
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

export class EmulatedInstance implements Instance {
  readonly backendName = 'emulated';
  readonly apiVersion: number;
  readonly seed: number;
  private readonly physicalDevices: readonly EmulatedPhysicalDevice[];
  private destroyed = false;

  constructor(options: EmulatedInstanceOptions = {}) {
    this.apiVersion = toUint32(options.apiVersion ?? VK_API_VERSION_1_4, 'apiVersion');
    this.seed = toUint32(options.seed ?? 1, 'seed');
    const requested = options.profiles ?? builtInProfiles;
    if (!Array.isArray(requested) || requested.length === 0) {
      throw new VkmapArgumentError('profiles', 'must be a non-empty array of profile ids or profile objects');
    }
    this.physicalDevices = requested.map(
      (entry, index) =>
        new EmulatedPhysicalDevice(this, typeof entry === 'string' ? getBuiltInProfile(entry) : validateProfile(entry), index),
    );
  }

  enumeratePhysicalDevices(): readonly EmulatedPhysicalDevice[] {
    if (this.destroyed) throw new VkmapStateError('vkEnumeratePhysicalDevices: the instance has been destroyed');
    return this.physicalDevices;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

/** Creates an emulated Vulkan instance whose physical devices are the given profiles. */
export function createEmulatedInstance(options?: EmulatedInstanceOptions): EmulatedInstance {
  return new EmulatedInstance(options);
}
