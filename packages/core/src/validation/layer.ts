import { isDeviceCommandAvailable, unavailableCommandError } from '../commands.js';
import type {
  Device,
  DeviceMemory,
  HostAddressRange,
  MappedMemory,
  MappedMemoryRange,
  MemoryAllocateInfo,
  MemoryMapInfo,
  MemoryUnmapInfo,
  PhysicalDevice,
  PhysicalDeviceMemoryBudgetPropertiesEXT,
} from '../contract/index.js';
import type { DeviceSizeInput } from '../device-size.js';
import { captureFacts, HandleRegistry, HandleTable, type MemoryRecord } from '../handle-table.js';
import { ValidationError } from '../errors.js';
import {
  snapshotAllocateInfo,
  snapshotHandle,
  snapshotMapInfo,
  snapshotRanges,
  snapshotUnmapInfo,
} from '../snapshot.js';
import type { PhysicalDeviceFeatures } from '../structures/features.js';
import type { ValidationLayerOptions } from '../validation-options.js';
import { checkAllocateMemory, checkFreeMemory } from './alloc-rules.js';
import type { CallContext } from './common-rules.js';
import { checkMapMemory, checkMapMemory2, checkUnmapMemory, checkUnmapMemory2 } from './map-rules.js';
import { checkMappedMemoryRanges, FLUSH_VUIDS, INVALIDATE_VUIDS } from './range-rules.js';
import { FailureList, Reporter } from './report.js';
import type { VuidId } from './vuids.js';

type Map2Command = 'vkMapMemory2' | 'vkMapMemory2KHR' | 'vkUnmapMemory2' | 'vkUnmapMemory2KHR';

/** The handles every validated device has seen; a handle none of them saw may come from a bare device. */
const LAYER_HANDLES = new HandleRegistry(false);

/**
 * The validation layer: a Device that checks each call against the valid-usage rules of the mapping
 * family, forwards the calls that break none, and tracks the state the rules need. A call that breaks
 * rules is reported once, with every rule it broke, and is not forwarded, so nothing changes. In 'report'
 * mode a refused call that returns nothing is skipped; one that must return an object (allocateMemory, the
 * map commands) throws its ValidationError after the report, as its type promises an object or a throw.
 *
 * Arguments are read once into a snapshot, checked, and the snapshot is forwarded: the device below sees
 * the values that were checked, and an application's getters run once.
 */
export class ValidatedDevice implements Device {
  private readonly inner: Device;
  private readonly state: HandleTable<undefined>;
  private readonly failures = new FailureList();
  private readonly ctx: CallContext;
  private readonly reporter: Reporter;
  private readonly reportKhrAliases: boolean;
  private readonly availableCommands: Readonly<Record<Map2Command, boolean>>;

  constructor(inner: Device, options: ValidationLayerOptions) {
    this.inner = inner;
    this.state = new HandleTable<undefined>(captureFacts(inner), LAYER_HANDLES);
    this.ctx = { state: this.state as HandleTable, failures: this.failures };
    this.reporter = new Reporter(options);
    this.reportKhrAliases = options.reportKhrAliases ?? false;
    const { apiVersion, enabledExtensions } = this.state.facts;
    const available = (name: Map2Command) => isDeviceCommandAvailable(name, apiVersion, enabledExtensions);
    this.availableCommands = {
      vkMapMemory2: available('vkMapMemory2'),
      vkMapMemory2KHR: available('vkMapMemory2KHR'),
      vkUnmapMemory2: available('vkUnmapMemory2'),
      vkUnmapMemory2KHR: available('vkUnmapMemory2KHR'),
    };
  }

  get physicalDevice(): PhysicalDevice {
    return this.inner.physicalDevice;
  }
  get apiVersion(): number {
    return this.inner.apiVersion;
  }
  get enabledExtensions(): ReadonlySet<string> {
    return this.inner.enabledExtensions;
  }
  get enabledFeatures(): PhysicalDeviceFeatures {
    return this.inner.enabledFeatures;
  }
  get isDestroyed(): boolean {
    return this.inner.isDestroyed;
  }
  hasCommand(name: string): boolean {
    return this.inner.hasCommand(name);
  }
  getMemoryBudget(): PhysicalDeviceMemoryBudgetPropertiesEXT | undefined {
    return this.inner.getMemoryBudget();
  }
  reserveAddressRange(size: DeviceSizeInput, alignment?: DeviceSizeInput): HostAddressRange {
    return this.inner.reserveAddressRange(size, alignment);
  }

  allocateMemory(info: MemoryAllocateInfo): DeviceMemory {
    this.failures.begin(false, false);
    const args = snapshotAllocateInfo(info) as MemoryAllocateInfo;
    const checked = this.deviceIsLive('VUID-vkAllocateMemory-device-parameter')
      ? checkAllocateMemory(this.ctx, args)
      : undefined;
    if (!this.failures.isEmpty) this.refuse('vkAllocateMemory');
    const memory = this.inner.allocateMemory(args);
    this.state.recordAllocation(memory, checked!.memoryTypeIndex, checked!.allocationSize, undefined);
    return memory;
  }

  freeMemory(memory: DeviceMemory | null): void {
    this.failures.begin(false, false);
    const handle = snapshotHandle(memory) as DeviceMemory | null;
    const record = this.deviceIsLive('VUID-vkFreeMemory-device-parameter')
      ? checkFreeMemory(this.ctx, handle)
      : undefined;
    if (!this.failures.isEmpty) {
      this.skip('vkFreeMemory');
      return;
    }
    this.inner.freeMemory(handle);
    if (record) this.state.recordFree(record as MemoryRecord<undefined>);
  }

  mapMemory(memory: DeviceMemory, offset: DeviceSizeInput, size: DeviceSizeInput, flags?: number): MappedMemory {
    this.failures.begin(false, false);
    const handle = snapshotHandle(memory) as DeviceMemory;
    if (this.deviceIsLive('VUID-vkMapMemory-device-parameter')) checkMapMemory(this.ctx, handle, offset, size, flags);
    if (!this.failures.isEmpty) this.refuse('vkMapMemory');
    const mapping = this.inner.mapMemory(handle, offset, size, flags);
    this.state.recordMap(this.state.lookup(handle) as MemoryRecord<undefined>, mapping);
    return mapping;
  }

  mapMemory2(info: MemoryMapInfo): MappedMemory {
    return this.validatedMap2('vkMapMemory2', info, (args) => this.inner.mapMemory2(args));
  }

  mapMemory2KHR(info: MemoryMapInfo): MappedMemory {
    return this.validatedMap2('vkMapMemory2KHR', info, (args) => this.inner.mapMemory2KHR(args));
  }

  unmapMemory(memory: DeviceMemory): void {
    this.failures.begin(false, false);
    const handle = snapshotHandle(memory) as DeviceMemory;
    if (this.deviceIsLive('VUID-vkUnmapMemory-device-parameter')) checkUnmapMemory(this.ctx, handle);
    if (!this.failures.isEmpty) {
      this.skip('vkUnmapMemory');
      return;
    }
    this.inner.unmapMemory(handle);
    this.state.recordUnmap(this.state.lookup(handle) as MemoryRecord<undefined>);
  }

  unmapMemory2(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.validatedUnmap2('vkUnmapMemory2', info, (args) => this.inner.unmapMemory2(args));
  }

  unmapMemory2KHR(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.validatedUnmap2('vkUnmapMemory2KHR', info, (args) => this.inner.unmapMemory2KHR(args));
  }

  flushMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    this.failures.begin(false, false);
    const args = snapshotRanges(ranges) as readonly MappedMemoryRange[];
    if (this.deviceIsLive('VUID-vkFlushMappedMemoryRanges-device-parameter'))
      checkMappedMemoryRanges(this.ctx, args, FLUSH_VUIDS);
    if (!this.failures.isEmpty) {
      this.skip('vkFlushMappedMemoryRanges');
      return;
    }
    this.inner.flushMappedMemoryRanges(args);
  }

  invalidateMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    this.failures.begin(false, false);
    const args = snapshotRanges(ranges) as readonly MappedMemoryRange[];
    if (this.deviceIsLive('VUID-vkInvalidateMappedMemoryRanges-device-parameter'))
      checkMappedMemoryRanges(this.ctx, args, INVALIDATE_VUIDS);
    if (!this.failures.isEmpty) {
      this.skip('vkInvalidateMappedMemoryRanges');
      return;
    }
    this.inner.invalidateMappedMemoryRanges(args);
  }

  destroy(): void {
    this.inner.destroy();
    if (!this.state.isDestroyed) this.state.recordDestroy();
  }

  private validatedMap2(
    command: 'vkMapMemory2' | 'vkMapMemory2KHR',
    info: MemoryMapInfo,
    forward: (args: MemoryMapInfo) => MappedMemory,
  ): MappedMemory {
    this.requireCommand(command);
    this.failures.begin(command === 'vkMapMemory2KHR', this.reportKhrAliases);
    const args = snapshotMapInfo(info) as MemoryMapInfo;
    if (this.deviceIsLive('VUID-vkMapMemory2-device-parameter')) checkMapMemory2(this.ctx, args);
    if (!this.failures.isEmpty) this.refuse(command);
    const mapping = forward(args);
    this.state.recordMap(this.state.lookup(args.memory) as MemoryRecord<undefined>, mapping);
    return mapping;
  }

  private validatedUnmap2(
    command: 'vkUnmapMemory2' | 'vkUnmapMemory2KHR',
    info: MemoryUnmapInfo,
    forward: (args: MemoryUnmapInfo) => HostAddressRange | undefined,
  ): HostAddressRange | undefined {
    this.requireCommand(command);
    this.failures.begin(command === 'vkUnmapMemory2KHR', this.reportKhrAliases);
    const args = snapshotUnmapInfo(info) as MemoryUnmapInfo;
    if (this.deviceIsLive('VUID-vkUnmapMemory2-device-parameter')) checkUnmapMemory2(this.ctx, args);
    if (!this.failures.isEmpty) return this.skip(command);
    const reserved = forward(args);
    this.state.recordUnmap(this.state.lookup(args.memory) as MemoryRecord<undefined>);
    return reserved;
  }

  /** A command the device does not provide throws `VkmapStateError` in every mode, as the front does. */
  private requireCommand(command: Map2Command): void {
    if (!this.availableCommands[command])
      throw unavailableCommandError(command, this.state.facts.apiVersion, this.state.facts.enabledExtensions);
  }

  /**
   * Whether the device can be called at all. On a destroyed device only the device rule is reported:
   * every other rule is about objects that died with it.
   */
  private deviceIsLive(deviceVuid: VuidId): boolean {
    if (!this.state.isDestroyed && this.inner.isDestroyed) this.state.recordDestroy();
    if (!this.state.isDestroyed) return true;
    this.failures.add(deviceVuid, 'the device has been destroyed; no command may be called on it');
    return false;
  }

  /**
   * A failing call that must return an object (a memory object, a mapping): it throws its ValidationError in
   * every mode, after 'report' mode has reported it, because there is nothing it could return.
   */
  private refuse(command: string): never {
    const failures = this.failures.take();
    this.reporter.deliver(command, failures);
    throw new ValidationError(command, failures);
  }

  /** A failing call that returns nothing: reported (thrown in 'throw' mode), not forwarded, and in 'report' mode skipped. */
  private skip(command: string): undefined {
    this.reporter.deliver(command, this.failures.take());
    return undefined;
  }
}
