import type { BackendAddressRange, InstanceBackend, PhysicalDeviceBackend } from '../backend/index.js';
import type { Instance } from '../contract/index.js';
import type { FrontDevice } from './device.js';
import { destroyedError } from './misuse.js';
import { FrontPhysicalDevice, type PhysicalDeviceParent } from './physical-device.js';

type AnyFrontDevice = FrontDevice<unknown, BackendAddressRange>;

/**
 * The checked front of an instance: the root of its objects. Destroying it destroys its live devices first,
 * on every backend alike; destroying it twice does nothing. The instance holds its devices weakly: a device
 * the application dropped without destroying it can be garbage-collected (a backend that holds resources
 * outside the JavaScript heap reclaims them then, e.g. @vkmap/native's FinalizationRegistry).
 */
export class FrontInstance<B extends InstanceBackend = InstanceBackend> implements Instance {
  readonly backendName: string;
  readonly apiVersion: number;
  protected readonly backend: B;
  private physicalDevices: readonly FrontPhysicalDevice[] | undefined;
  /** The live devices, weakly: a WeakRef each, forgotten when the device is destroyed or collected. */
  private readonly devices = new Set<WeakRef<AnyFrontDevice>>();
  private readonly refs = new WeakMap<AnyFrontDevice, WeakRef<AnyFrontDevice>>();
  private readonly collected = new FinalizationRegistry<WeakRef<AnyFrontDevice>>((ref) => this.devices.delete(ref));
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
        adopt: (device) => this.adopt(device),
        release: (device) => this.release(device),
      };
      this.physicalDevices = Object.freeze(
        this.backend.physicalDevices().map((pd, index) => this.newPhysicalDevice(parent, pd, index)),
      );
    }
    return this.physicalDevices;
  }

  destroy(): void {
    if (this.destroyed) return;
    for (const ref of [...this.devices]) ref.deref()?.destroy();
    this.backend.destroy();
    this.destroyed = true;
  }

  private adopt(device: AnyFrontDevice): void {
    const ref = new WeakRef(device);
    this.refs.set(device, ref);
    this.devices.add(ref);
    this.collected.register(device, ref, ref);
  }

  private release(device: AnyFrontDevice): void {
    const ref = this.refs.get(device);
    if (!ref) return;
    this.refs.delete(device);
    this.devices.delete(ref);
    this.collected.unregister(ref);
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
