/** The native Instance: a VkInstance from the system's Vulkan loader. */
import {
  apiVersionMajorMinor,
  FrontInstance,
  toUint32,
  VK_API_VERSION_1_0,
  VK_API_VERSION_1_1,
  VK_API_VERSION_1_4,
  type InstanceBackend,
  type InstanceCreateInfo,
  type PhysicalDeviceBackend,
  type PhysicalDeviceParent,
} from '@vkmap/core';
import { loadBinding, type NativeBinding } from './binding.js';
import { callAddon, NativeUnavailableError } from './errors.js';
import { NativePhysicalDevice, NativePhysicalDeviceBackend } from './physical-device.js';

/** The highest Vulkan version this package knows. */
export const NATIVE_MAX_API_VERSION = VK_API_VERSION_1_4;

export type NativeInstanceOptions = InstanceCreateInfo;

/** What reclaiming an instance needs, without a reference to the instance (a FinalizationRegistry's held value). */
interface NativeInstanceLifetime {
  readonly binding: NativeBinding;
  readonly id: number;
}

/**
 * Instances the application dropped without destroying them: once the instance and every device of it are
 * garbage-collected (a device keeps its instance reachable), the addon destroys the instance by id, which
 * destroys any device of it still there (each waited idle first).
 */
const droppedInstances = new FinalizationRegistry<NativeInstanceLifetime>(({ binding, id }) => {
  try {
    binding.destroyInstance(id);
  } catch {
    // Already destroyed, or refused (a view that cannot be detached): the environment's teardown frees it.
  }
});

class NativeInstanceBackend implements InstanceBackend {
  readonly backendName = 'native';
  readonly apiVersion: number;
  readonly loaderVersion: number;
  readonly loaderLibrary: string;
  readonly binding: NativeBinding;
  readonly id: number;
  /** The registration in `droppedInstances`, ended by destroy(). */
  private readonly lifetime: NativeInstanceLifetime;

  constructor(binding: NativeBinding, requestedVersion: number | undefined) {
    this.binding = binding;
    const loader = binding.loaderInfo();
    if (!loader.loaded) {
      throw new NativeUnavailableError(
        `the Vulkan loader (libvulkan.so.1) could not be loaded (${loader.error}); ${loader.installHint}`,
      );
    }
    this.loaderLibrary = loader.library;
    this.loaderVersion = loader.instanceVersion;
    // A Vulkan 1.0 loader refuses any other apiVersion; later loaders accept any (the device's version is
    // min(instance, physical device)), so ask for the highest this package knows.
    const apiVersion =
      requestedVersion ??
      (apiVersionMajorMinor(loader.instanceVersion) >= VK_API_VERSION_1_1
        ? NATIVE_MAX_API_VERSION
        : VK_API_VERSION_1_0);
    const created = callAddon(() => binding.createInstance(apiVersion));
    this.id = created.id;
    this.apiVersion = created.apiVersion;
    this.lifetime = { binding, id: created.id };
    droppedInstances.register(this, this.lifetime, this.lifetime);
  }

  physicalDevices(): readonly NativePhysicalDeviceBackend[] {
    return callAddon(() => this.binding.enumeratePhysicalDevices(this.id)).map(
      (description, index) => new NativePhysicalDeviceBackend(this, index, description),
    );
  }

  destroy(): void {
    callAddon(() => this.binding.destroyInstance(this.id));
    droppedInstances.unregister(this.lifetime);
  }
}

export class NativeInstance extends FrontInstance<NativeInstanceBackend> {
  /** What the loader's vkEnumerateInstanceVersion reports. */
  readonly loaderVersion: number;
  /** The loader library that was opened. */
  readonly loaderLibrary: string;

  constructor(binding: NativeBinding, requestedVersion?: number) {
    const backend = new NativeInstanceBackend(binding, requestedVersion);
    super(backend);
    this.loaderVersion = backend.loaderVersion;
    this.loaderLibrary = backend.loaderLibrary;
  }

  override enumeratePhysicalDevices(): readonly NativePhysicalDevice[] {
    return super.enumeratePhysicalDevices() as readonly NativePhysicalDevice[];
  }

  protected override newPhysicalDevice(
    parent: PhysicalDeviceParent,
    backend: PhysicalDeviceBackend,
  ): NativePhysicalDevice {
    return new NativePhysicalDevice(parent, backend as NativePhysicalDeviceBackend);
  }
}

/**
 * Creates a Vulkan instance through the system's loader. Throws `NativeUnavailableError` when the addon,
 * the loader or a driver is missing (the message says what to install), or `VkError` from vkCreateInstance.
 */
export function createNativeInstance(options: NativeInstanceOptions = {}): NativeInstance {
  const requested = options.apiVersion === undefined ? undefined : toUint32(options.apiVersion, 'options.apiVersion');
  return new NativeInstance(loadBinding(), requested);
}
