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

class NativeInstanceBackend implements InstanceBackend {
  readonly backendName = 'native';
  readonly apiVersion: number;
  readonly loaderVersion: number;
  readonly loaderLibrary: string;
  readonly binding: NativeBinding;
  readonly id: number;

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
  }

  physicalDevices(): readonly NativePhysicalDeviceBackend[] {
    return callAddon(() => this.binding.enumeratePhysicalDevices(this.id)).map(
      (description, index) => new NativePhysicalDeviceBackend(this, index, description),
    );
  }

  destroy(): void {
    callAddon(() => this.binding.destroyInstance(this.id));
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
