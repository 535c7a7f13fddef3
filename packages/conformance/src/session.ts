/**
 * One scenario's device: created from the target's physical device with the family's extensions and
 * features and a queue, optionally under the validation layer, with the backend's hooks bound to the bare
 * device. Device-side access goes through transfers on the bare device (device-access.ts), checked against
 * the backend's direct hook where it has one.
 */
import type { Device, ValidationReport } from '@vkmap/core';
import type { AddressSpaceView, ConformanceBackend, DeviceSideAccess, FaultControls } from './backend.js';
import { combinedAccess, TransferDeviceAccess } from './device-access.js';
import type { DeviceTarget, HostVisibleType } from './device-target.js';
import type { ConformanceOptions } from './options.js';
import { deviceAccessSkip } from './skips.js';
import { formatReports, type ValidationLayerFactory } from './validation-stack.js';

export class ScenarioSession {
  /** The device scenarios call: the validation layer when stacked, else the backend's device. */
  readonly device: Device;
  /** The backend's own device, under any layer. */
  readonly bareDevice: Device;
  readonly target: DeviceTarget;
  /** Device-side access, for the memory types `deviceAccessSkip` allows (use `accessFor` / `requireAccess`). */
  private readonly access: DeviceSideAccess | undefined;
  readonly faults: FaultControls | undefined;
  readonly addressSpace: AddressSpaceView | undefined;
  /** Validation reports collected so far (always empty without the layer). */
  readonly reports: ValidationReport[] = [];
  readonly options: ConformanceOptions;

  constructor(
    backend: ConformanceBackend,
    target: DeviceTarget,
    options: ConformanceOptions,
    layer: ValidationLayerFactory | undefined,
  ) {
    this.target = target;
    this.options = options;
    this.bareDevice = target.physicalDevice.createDevice(target.createInfo);
    this.device = layer
      ? layer(this.bareDevice, {
          mode: 'report',
          onReport: (report) => this.reports.push(report),
          duplicateLimit: Infinity,
        })
      : this.bareDevice;
    const transfer = target.capabilities.transfer;
    this.access = combinedAccess(
      transfer && new TransferDeviceAccess(this.bareDevice, transfer),
      backend.deviceAccess?.(this.bareDevice),
    );
    this.faults = backend.faults?.(this.bareDevice);
    this.addressSpace = backend.addressSpace?.(this.bareDevice);
  }

  /** Device-side access to memory of `type`; only scenarios registered as needing it call this. */
  requireAccess(type: HostVisibleType): DeviceSideAccess {
    const access = this.accessFor(type);
    if (!access) throw new Error(`internal: scenario needs device-side access to ${type.label} but was not skipped`);
    return access;
  }

  /** Device-side access to memory of `type`, or undefined where the device has none. */
  accessFor(type: HostVisibleType): DeviceSideAccess | undefined {
    return deviceAccessSkip(this.target, type) === undefined ? this.access : undefined;
  }

  requireFaults(): FaultControls {
    if (!this.faults) throw new Error('internal: scenario needs fault injection but was not skipped');
    return this.faults;
  }

  /**
   * Usage of every heap (VK_EXT_memory_budget) where the backend counts it exactly per allocation
   * (option `exactHeapUsage`); undefined otherwise, so that comparing two readings checks nothing.
   * Drivers report an estimate (lavapipe: pages the process touched), which no exact check can use.
   */
  trackedUsage(): readonly bigint[] | undefined {
    if (!this.options.exactHeapUsage) return undefined;
    return this.device.getMemoryBudget()?.heapUsage.slice();
  }

  /** Destroys the device (if the scenario has not) and disarms faults. */
  close(): void {
    this.faults?.clear();
    if (!this.device.isDestroyed) this.device.destroy();
  }

  /** Throws when the validation layer reported anything: valid scenarios must produce no report. */
  assertNoReports(): void {
    if (this.reports.length === 0) return;
    throw new Error(
      `the validation layer reported ${this.reports.length} problem${this.reports.length === 1 ? '' : 's'} in a valid scenario:\n` +
        formatReports(this.reports),
    );
  }
}
