/** The native Instance: a VkInstance from the system's Vulkan loader. */
import {
  apiVersionMajorMinor,
  toUint32,
  VK_API_VERSION_1_0,
  VK_API_VERSION_1_1,
  VK_API_VERSION_1_4,
  VkmapStateError,
  type Instance,
  type InstanceCreateInfo,
} from '@vkmap/core';
import { loadBinding, type NativeBinding } from './binding.js';
import type { NativeDevice } from './device.js';
import { callAddon, NativeUnavailableError } from './errors.js';
import { NativePhysicalDevice } from './physical-device.js';

/** The highest Vulkan version this package knows. */
export const NATIVE_MAX_API_VERSION = VK_API_VERSION_1_4;

export type NativeInstanceOptions = InstanceCreateInfo;

export class NativeInstance implements Instance {
  readonly backendName = 'native';
  readonly apiVersion: number;
  /** What the loader's vkEnumerateInstanceVersion reports. */
  readonly loaderVersion: number;
  /** The loader library that was opened. */
  readonly loaderLibrary: string;
  readonly #binding: NativeBinding;
  readonly #id: number;
  readonly #physicalDevices: readonly NativePhysicalDevice[];
  readonly #devices = new Set<NativeDevice>();
  #destroyed = false;

  constructor(binding: NativeBinding, requestedVersion?: number) {
    this.#binding = binding;
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
      (apiVersionMajorMinor(loader.instanceVersion) >= VK_API_VERSION_1_1 ? NATIVE_MAX_API_VERSION : VK_API_VERSION_1_0);
    const created = callAddon(() => binding.createInstance(apiVersion));
    this.#id = created.id;
    this.apiVersion = created.apiVersion;
    const owner = {
      instance: this,
      binding,
      instanceId: this.#id,
      isDestroyed: () => this.#destroyed,
      adopt: (device: NativeDevice) => void this.#devices.add(device),
      release: (device: NativeDevice) => void this.#devices.delete(device),
    };
    this.#physicalDevices = Object.freeze(
      callAddon(() => binding.enumeratePhysicalDevices(this.#id)).map(
        (description, index) => new NativePhysicalDevice(owner, index, description),
      ),
    );
  }

  get isDestroyed(): boolean {
    return this.#destroyed;
  }

  enumeratePhysicalDevices(): readonly NativePhysicalDevice[] {
    if (this.#destroyed) throw new VkmapStateError('vkEnumeratePhysicalDevices: the instance has been destroyed');
    return this.#physicalDevices;
  }

  /** Destroys the instance, destroying first every device still alive (their views are detached). */
  destroy(): void {
    if (this.#destroyed) return;
    callAddon(() => this.#binding.destroyInstance(this.#id));
    for (const device of [...this.#devices]) device.markDestroyed('its instance was destroyed');
    this.#destroyed = true;
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
