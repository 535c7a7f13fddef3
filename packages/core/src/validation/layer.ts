import { isDeviceCommandAvailable } from '../commands.js';
import { formatApiVersion, VK_KHR_MAP_MEMORY_2_EXTENSION_NAME } from '../constants.js';
import type { Device, DeviceMemory, HostAddressRange, MappedMemory, PhysicalDevice } from '../contract.js';
import type { DeviceSizeInput } from '../device-size.js';
import { VkmapStateError } from '../errors.js';
import type {
  MappedMemoryRange,
  MemoryAllocateInfo,
  MemoryMapInfo,
  MemoryUnmapInfo,
  PhysicalDeviceMapMemoryPlacedFeaturesEXT,
  PhysicalDeviceMemoryBudgetPropertiesEXT,
} from '../structures.js';
import type { ValidationLayerOptions } from '../validation-options.js';
import { checkAllocateMemory, checkFreeMemory } from './alloc-rules.js';
import type { CallContext } from './common-rules.js';
import { checkMapMemory, checkMapMemory2, checkUnmapMemory, checkUnmapMemory2 } from './map-rules.js';
import { checkMappedMemoryRanges, FLUSH_VUIDS, INVALIDATE_VUIDS } from './range-rules.js';
import { FailureList, Reporter } from './report.js';
import { captureFacts, DeviceState, type MemoryRecord } from './state.js';
import type { VuidId } from './vuids.js';

type Map2Command = 'vkMapMemory2' | 'vkMapMemory2KHR' | 'vkUnmapMemory2' | 'vkUnmapMemory2KHR';

/**
 * The validation layer: a Device that checks each call against the valid-usage rules of the mapping
 * family, forwards the calls that break none, and tracks the state the rules need. A call that breaks
 * rules is reported once, with every rule it broke, and is not forwarded, so nothing changes.
 */
export class ValidatedDevice implements Device {
  private readonly inner: Device;
  private readonly state: DeviceState;
  private readonly failures = new FailureList();
  private readonly ctx: CallContext;
  private readonly reporter: Reporter;
  private readonly reportKhrAliases: boolean;
  private readonly availableCommands: Readonly<Record<Map2Command, boolean>>;

  constructor(inner: Device, options: ValidationLayerOptions) {
    this.inner = inner;
    this.state = new DeviceState(captureFacts(inner));
    this.ctx = { state: this.state, failures: this.failures };
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
  get enabledFeatures(): Readonly<PhysicalDeviceMapMemoryPlacedFeaturesEXT> {
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
    const checked = this.deviceIsLive('VUID-vkAllocateMemory-device-parameter') ? checkAllocateMemory(this.ctx, info) : undefined;
    if (!this.failures.isEmpty) return this.reject('vkAllocateMemory');
    const memory = this.inner.allocateMemory(info);
    this.state.recordAllocation(memory, checked!.memoryTypeIndex, checked!.allocationSize);
    return memory;
  }

  freeMemory(memory: DeviceMemory | null): void {
    this.failures.begin(false, false);
    const record = this.deviceIsLive('VUID-vkFreeMemory-device-parameter') ? checkFreeMemory(this.ctx, memory) : undefined;
    if (!this.failures.isEmpty) return this.reject('vkFreeMemory');
    this.inner.freeMemory(memory);
    if (record) this.state.recordFree(record);
  }

  mapMemory(memory: DeviceMemory, offset: DeviceSizeInput, size: DeviceSizeInput, flags?: number): MappedMemory {
    this.failures.begin(false, false);
    if (this.deviceIsLive('VUID-vkMapMemory-device-parameter')) checkMapMemory(this.ctx, memory, offset, size, flags);
    if (!this.failures.isEmpty) return this.reject('vkMapMemory');
    const mapping = this.inner.mapMemory(memory, offset, size, flags);
    this.state.recordMap(this.state.lookup(memory) as MemoryRecord, mapping);
    return mapping;
  }

  mapMemory2(info: MemoryMapInfo): MappedMemory {
    return this.validatedMap2('vkMapMemory2', info, () => this.inner.mapMemory2(info));
  }

  mapMemory2KHR(info: MemoryMapInfo): MappedMemory {
    return this.validatedMap2('vkMapMemory2KHR', info, () => this.inner.mapMemory2KHR(info));
  }

  unmapMemory(memory: DeviceMemory): void {
    this.failures.begin(false, false);
    if (this.deviceIsLive('VUID-vkUnmapMemory-device-parameter')) checkUnmapMemory(this.ctx, memory);
    if (!this.failures.isEmpty) return this.reject('vkUnmapMemory');
    this.inner.unmapMemory(memory);
    this.state.recordUnmap(this.state.lookup(memory) as MemoryRecord);
  }

  unmapMemory2(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.validatedUnmap2('vkUnmapMemory2', info, () => this.inner.unmapMemory2(info));
  }

  unmapMemory2KHR(info: MemoryUnmapInfo): HostAddressRange | undefined {
    return this.validatedUnmap2('vkUnmapMemory2KHR', info, () => this.inner.unmapMemory2KHR(info));
  }

  flushMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    this.failures.begin(false, false);
    if (this.deviceIsLive('VUID-vkFlushMappedMemoryRanges-device-parameter')) checkMappedMemoryRanges(this.ctx, ranges, FLUSH_VUIDS);
    if (!this.failures.isEmpty) return this.reject('vkFlushMappedMemoryRanges');
    this.inner.flushMappedMemoryRanges(ranges);
  }

  invalidateMappedMemoryRanges(ranges: readonly MappedMemoryRange[]): void {
    this.failures.begin(false, false);
    if (this.deviceIsLive('VUID-vkInvalidateMappedMemoryRanges-device-parameter')) {
      checkMappedMemoryRanges(this.ctx, ranges, INVALIDATE_VUIDS);
    }
    if (!this.failures.isEmpty) return this.reject('vkInvalidateMappedMemoryRanges');
    this.inner.invalidateMappedMemoryRanges(ranges);
  }

  destroy(): void {
    this.inner.destroy();
    this.state.recordDestroy();
  }

  private validatedMap2(command: 'vkMapMemory2' | 'vkMapMemory2KHR', info: MemoryMapInfo, forward: () => MappedMemory): MappedMemory {
    this.requireCommand(command);
    this.failures.begin(command === 'vkMapMemory2KHR', this.reportKhrAliases);
    if (this.deviceIsLive('VUID-vkMapMemory2-device-parameter')) checkMapMemory2(this.ctx, info);
    if (!this.failures.isEmpty) return this.reject(command);
    const mapping = forward();
    this.state.recordMap(this.state.lookup(info.memory) as MemoryRecord, mapping);
    return mapping;
  }

  private validatedUnmap2(
    command: 'vkUnmapMemory2' | 'vkUnmapMemory2KHR',
    info: MemoryUnmapInfo,
    forward: () => HostAddressRange | undefined,
  ): HostAddressRange | undefined {
    this.requireCommand(command);
    this.failures.begin(command === 'vkUnmapMemory2KHR', this.reportKhrAliases);
    if (this.deviceIsLive('VUID-vkUnmapMemory2-device-parameter')) checkUnmapMemory2(this.ctx, info);
    if (!this.failures.isEmpty) return this.reject(command);
    const reserved = forward();
    this.state.recordUnmap(this.state.lookup(info.memory) as MemoryRecord);
    return reserved;
  }

  /**
   * A device-level command that the device does not provide has no function pointer in C, so calling it
   * is not a valid-usage question: it throws `VkmapStateError` in every mode, as the backends do.
   */
  private requireCommand(command: Map2Command): void {
    if (this.availableCommands[command]) return;
    const version = formatApiVersion(this.state.facts.apiVersion);
    const hasKhr = this.state.facts.enabledExtensions.has(VK_KHR_MAP_MEMORY_2_EXTENSION_NAME);
    const hint = command.endsWith('KHR')
      ? `it needs ${VK_KHR_MAP_MEMORY_2_EXTENSION_NAME} enabled at device creation${
          this.availableCommands.vkMapMemory2 ? `; this Vulkan ${version} device has the core ${command.slice(0, -3)}` : ''
        }`
      : `it is core in Vulkan 1.4 and this device runs Vulkan ${version}; ${
          hasKhr ? `call ${command}KHR (${VK_KHR_MAP_MEMORY_2_EXTENSION_NAME} is enabled)` : `enable ${VK_KHR_MAP_MEMORY_2_EXTENSION_NAME} and call ${command}KHR`
        }`;
    throw new VkmapStateError(`${command} is not available on this device: ${hint}`);
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

  /** Delivers the failures of the call (throws in 'throw' mode); in 'report' mode the call returns undefined. */
  private reject(command: string): never {
    this.reporter.deliver(command, this.failures.take());
    return undefined as never;
  }
}
