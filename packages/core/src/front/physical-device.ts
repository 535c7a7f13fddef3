import type {
  BackendAddressRange,
  DeviceBackend,
  DeviceRequest,
  PhysicalDeviceBackend,
  PhysicalDeviceDescription,
} from '../backend/index.js';
import type {
  Device,
  DeviceCreateInfo,
  ExtensionProperties,
  Instance,
  PhysicalDevice,
  PhysicalDeviceMapMemoryPlacedPropertiesEXT,
  PhysicalDeviceMemoryProperties,
  PhysicalDeviceProperties,
  QueueFamilyProperties,
} from '../contract/index.js';
import type { PhysicalDeviceFeatures } from '../structures/features.js';
import { withValidation } from '../validation/index.js';
import { FrontDevice } from './device.js';
import { checkDeviceCreateInfo } from './device-create.js';
import { destroyedError } from './misuse.js';
import { snapshotDeviceCreateInfo } from '../snapshot.js';

/** What a physical device needs of the instance that enumerated it. */
export interface PhysicalDeviceParent {
  readonly instance: Instance;
  readonly apiVersion: number;
  isDestroyed(): boolean;
  adopt(device: FrontDevice<unknown, BackendAddressRange>): void;
  release(device: FrontDevice<unknown, BackendAddressRange>): void;
}

/** The checked front of a physical device: its queries from the backend's description, and vkCreateDevice. */
export class FrontPhysicalDevice<B extends PhysicalDeviceBackend = PhysicalDeviceBackend> implements PhysicalDevice {
  readonly instance: Instance;
  protected readonly backend: B;
  protected readonly description: PhysicalDeviceDescription;
  private readonly parent: PhysicalDeviceParent;

  constructor(parent: PhysicalDeviceParent, backend: B) {
    this.instance = parent.instance;
    this.parent = parent;
    this.backend = backend;
    this.description = deepFreeze(backend.description);
  }

  getProperties(): PhysicalDeviceProperties {
    this.requireLive('vkGetPhysicalDeviceProperties');
    return this.description.properties;
  }

  getMemoryProperties(): PhysicalDeviceMemoryProperties {
    this.requireLive('vkGetPhysicalDeviceMemoryProperties');
    return this.description.memoryProperties;
  }

  getQueueFamilyProperties(): readonly QueueFamilyProperties[] {
    this.requireLive('vkGetPhysicalDeviceQueueFamilyProperties');
    return this.description.queueFamilies;
  }

  enumerateDeviceExtensionProperties(): readonly ExtensionProperties[] {
    this.requireLive('vkEnumerateDeviceExtensionProperties');
    return this.description.extensions;
  }

  getFeatures(): PhysicalDeviceFeatures {
    this.requireLive('vkGetPhysicalDeviceFeatures2');
    return this.description.features;
  }

  getMapMemoryPlacedProperties(): PhysicalDeviceMapMemoryPlacedPropertiesEXT | undefined {
    this.requireLive('vkGetPhysicalDeviceProperties2');
    return this.description.mapMemoryPlacedProperties;
  }

  /** Whether the device offers an extension. */
  hasExtension(name: string): boolean {
    return this.description.extensions.some((e) => e.extensionName === name);
  }

  /** Creates a device; with `validation`, the validation layer wraps it (on every backend alike). */
  createDevice(info: DeviceCreateInfo = {}): Device {
    this.requireLive('vkCreateDevice');
    const args = snapshotDeviceCreateInfo(info);
    const checked = checkDeviceCreateInfo(this.description, this.parent.apiVersion, args);
    const device = this.adopt(this.newDevice(checked.request, info));
    return checked.validation ? withValidation(device, checked.validation) : device;
  }

  /** Creates a device without any layer, whatever `info.validation` says: a backend's own createXDevice. */
  protected createUnlayeredDevice(info: DeviceCreateInfo = {}): FrontDevice<unknown, BackendAddressRange> {
    this.requireLive('vkCreateDevice');
    const checked = checkDeviceCreateInfo(this.description, this.parent.apiVersion, snapshotDeviceCreateInfo(info));
    return this.adopt(this.newDevice(checked.request, info));
  }

  /**
   * Makes the front device over a new backend device. A backend overrides it to return its own subclass,
   * or to read options of its own from `info` (read once, there).
   */
  protected newDevice(request: DeviceRequest, info: DeviceCreateInfo): FrontDevice<unknown, BackendAddressRange> {
    void info;
    return new FrontDevice(this.deviceInit(request, this.backend.createDevice(request)));
  }

  /** The FrontDevice constructor's argument for a backend device of this physical device. */
  protected deviceInit<M, R extends BackendAddressRange>(request: DeviceRequest, backend: DeviceBackend<M, R>) {
    return {
      physicalDevice: this as PhysicalDevice,
      description: this.description,
      request,
      backend,
      onDestroy: (device: FrontDevice<M, R>) =>
        this.parent.release(device as unknown as FrontDevice<unknown, BackendAddressRange>),
    };
  }

  protected requireLive(what: string): void {
    if (this.parent.isDestroyed()) throw destroyedError(what, 'instance');
  }

  private adopt<D extends FrontDevice<unknown, BackendAddressRange>>(device: D): D {
    this.parent.adopt(device);
    return device;
  }

  toString(): string {
    return `PhysicalDevice(${this.description.properties.deviceName})`;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
