import type { BackendAddressRange, InstanceBackend, PhysicalDeviceBackend } from '../backend/index.js';
import type { Instance } from '../contract/index.js';
import type { FrontDevice } from './device.js';
import { destroyedError } from './misuse.js';
import { FrontPhysicalDevice, type PhysicalDeviceParent } from './physical-device.js';

/**
 * The checked front of an instance: the root of its objects. Destroying it destroys its devices first,
 * on every backend alike; destroying it twice does nothing.
 */
export class FrontInstance<B extends InstanceBackend = InstanceBackend> implements Instance {
  readonly backendName: string;
  readonly apiVersion: number;
  protected readonly backend: B;
  private physicalDevices: readonly FrontPhysicalDevice[] | undefined;
  private readonly devices = new Set<FrontDevice<unknown, BackendAddressRange>>();
  private destroyed = false;

  constructor(backend: B) {
    this.backend = backend;
    this.backendName = backend.backendName;
    this.apiVersion = backend.apiVersion;
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  enumeratePhysicalDevices(): readonly FrontPhysicalDevice[] {
    if (this.destroyed) throw destroyedError('vkEnumeratePhysicalDevices', 'instance');
    if (!this.physicalDevices) {
      const parent: PhysicalDeviceParent = {
        instance: this,
        apiVersion: this.apiVersion,
        isDestroyed: () => this.destroyed,
        adopt: (device) => void this.devices.add(device),
        release: (device) => void this.devices.delete(device),
      };
      this.physicalDevices = Object.freeze(
        this.backend.physicalDevices().map((pd, index) => this.newPhysicalDevice(parent, pd, index)),
      );
    }
    return this.physicalDevices;
  }

  destroy(): void {
    if (this.destroyed) return;
    for (const device of [...this.devices]) device.destroy();
    this.backend.destroy();
    this.destroyed = true;
  }

  /** Makes the front of one physical device; a backend overrides it to return its own subclass. */
  protected newPhysicalDevice(
    parent: PhysicalDeviceParent,
    backend: PhysicalDeviceBackend,
    index: number,
  ): FrontPhysicalDevice {
    void index;
    return new FrontPhysicalDevice(parent, backend);
  }
}
