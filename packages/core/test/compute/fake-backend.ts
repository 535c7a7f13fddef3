/**
 * A fake backend for the front's unit tests: plain objects implementing the narrow backend interface that
 * record every call, with a GPU model small enough to steer from a test. Submitted work stays pending until
 * the test calls `gpu.finish()` (or a wait finishes it, when `finishOnWait` is set), so tests can look at the
 * front while work is in flight.
 */
import {
  FrontInstance,
  noFeatures,
  requiredLimits,
  type BackendAddressRange,
  type DeviceBackend,
  type DeviceRequest,
  type InstanceBackend,
  type PhysicalDeviceBackend,
  type PhysicalDeviceDescription,
  type QueueFamilyProperties,
  type RecordedCommand,
  VK_API_VERSION_1_3,
} from '@vkmap/core';

export interface FakeRecord {
  readonly kind: string;
  readonly id: number;
  destroyed?: boolean;
}

export interface FakeFence extends FakeRecord {
  signaled: boolean;
}

export interface FakeCommandBuffer extends FakeRecord {
  commands: readonly RecordedCommand<unknown, unknown, unknown, unknown>[];
  flags: number;
}

/** What the fake GPU has been handed and not finished. */
export class FakeGpu {
  readonly pending: { fence: FakeFence | undefined; commandBuffers: readonly FakeCommandBuffer[] }[] = [];
  /** Whether a wait finishes all pending work (true) or times out (false). */
  finishOnWait = true;

  finish(): void {
    for (const work of this.pending) if (work.fence) work.fence.signaled = true;
    this.pending.length = 0;
  }
}

export const COMPUTE_ONLY = 0x2;
export const GRAPHICS_ONLY = 0x1;

function family(queueFlags: number, queueCount = 1): QueueFamilyProperties {
  return {
    queueFlags,
    queueCount,
    timestampValidBits: 64,
    minImageTransferGranularity: { width: 1, height: 1, depth: 1 },
  };
}

export const FAMILIES = {
  /** Family 0 graphics only, family 1 compute with two queues. */
  graphicsThenCompute: [family(GRAPHICS_ONLY), family(COMPUTE_ONLY | 0x4, 2)],
  computeOnly: [family(COMPUTE_ONLY)],
  none: [],
} as const;

export const MEMORY_TYPE_DEVICE_LOCAL = 0;
export const MEMORY_TYPE_HOST_VISIBLE = 1;

export function describe(queueFamilies: readonly QueueFamilyProperties[]): PhysicalDeviceDescription {
  return {
    properties: {
      apiVersion: VK_API_VERSION_1_3,
      driverVersion: 1,
      vendorID: 0,
      deviceID: 0,
      deviceType: 4,
      deviceName: 'fake',
      limits: requiredLimits(1n << 30n),
    },
    memoryProperties: {
      memoryTypes: [
        { propertyFlags: 0x1, heapIndex: 0 },
        { propertyFlags: 0x6, heapIndex: 1 },
      ],
      memoryHeaps: [
        { size: 1n << 30n, flags: 1 },
        { size: 1n << 30n, flags: 0 },
      ],
    },
    queueFamilies,
    extensions: [],
    features: noFeatures(),
  };
}

/** A device backend recording its calls (method names, in order) into `calls`. */
export class FakeDeviceBackend implements DeviceBackend<FakeRecord, BackendAddressRange> {
  readonly pageSize = 4096n;
  readonly calls: string[] = [];
  readonly gpu = new FakeGpu();
  readonly request: DeviceRequest;
  /** The commands of the last recordCommandBuffer call. */
  lastRecorded: readonly RecordedCommand<unknown, unknown, unknown, unknown>[] = [];
  private nextId = 1;

  constructor(request: DeviceRequest) {
    this.request = request;
  }

  private make<R extends FakeRecord>(kind: string, extra: Omit<R, 'kind' | 'id'> = {} as Omit<R, 'kind' | 'id'>): R {
    return { kind, id: this.nextId++, ...extra } as R;
  }

  private call(name: string, ...records: unknown[]): void {
    this.calls.push(name);
    for (const record of records) {
      if (record && typeof record === 'object' && (record as FakeRecord).destroyed)
        throw new Error(`fake backend: ${name} got a destroyed ${(record as FakeRecord).kind}`);
    }
  }

  /** Calls to methods whose name starts with `prefix`. */
  named(prefix: string): string[] {
    return this.calls.filter((c) => c.startsWith(prefix));
  }

  // ---- memory -----------------------------------------------------------------------------------------
  allocateMemory(request: { readonly size: bigint }) {
    this.call('allocateMemory');
    const memory = this.make('memory');
    return { handle: BigInt(memory.id), memory: Object.assign(memory, { size: request.size }) };
  }
  freeMemory(memory: FakeRecord): void {
    this.call('freeMemory', memory);
    memory.destroyed = true;
  }
  mapMemory(memory: FakeRecord, request: { readonly size: bigint }) {
    this.call('mapMemory', memory);
    return { address: 0x10000n, view: new Uint8Array(Number(request.size)) };
  }
  unmapMemory(memory: FakeRecord): undefined {
    this.call('unmapMemory', memory);
    return undefined;
  }
  flushMappedMemoryRanges(): void {
    this.call('flushMappedMemoryRanges');
  }
  invalidateMappedMemoryRanges(): void {
    this.call('invalidateMappedMemoryRanges');
  }
  getMemoryBudget() {
    return undefined;
  }
  reserveAddressRange(size: bigint): BackendAddressRange {
    return { address: 0x100000n, size };
  }
  releaseAddressRange(): void {}
  destroy(): void {
    this.call('destroy');
  }

  // ---- compute ------------------------------------------------------------------------------------------
  getQueue(queueFamilyIndex: number, queueIndex: number) {
    this.call('getQueue');
    return this.make<FakeRecord & { queueFamilyIndex: number; queueIndex: number }>('queue', {
      queueFamilyIndex,
      queueIndex,
    });
  }
  createBuffer() {
    this.call('createBuffer');
    return this.make('buffer');
  }
  destroyBuffer(buffer: FakeRecord): void {
    this.call('destroyBuffer', buffer);
    buffer.destroyed = true;
  }
  getBufferMemoryRequirements(buffer: FakeRecord) {
    this.call('getBufferMemoryRequirements', buffer);
    return { size: 256n, alignment: 64n, memoryTypeBits: 0b11 };
  }
  bindBufferMemory(buffer: FakeRecord, memory: FakeRecord): void {
    this.call('bindBufferMemory', buffer, memory);
  }
  createShaderModule() {
    this.call('createShaderModule');
    return this.make('shaderModule');
  }
  destroyShaderModule(module: FakeRecord): void {
    this.call('destroyShaderModule', module);
    module.destroyed = true;
  }
  createDescriptorSetLayout() {
    this.call('createDescriptorSetLayout');
    return this.make('setLayout');
  }
  destroyDescriptorSetLayout(layout: FakeRecord): void {
    this.call('destroyDescriptorSetLayout', layout);
    layout.destroyed = true;
  }
  createPipelineLayout() {
    this.call('createPipelineLayout');
    return this.make('pipelineLayout');
  }
  destroyPipelineLayout(layout: FakeRecord): void {
    this.call('destroyPipelineLayout', layout);
    layout.destroyed = true;
  }
  createComputePipeline(request: { readonly module: unknown; readonly layout: unknown }) {
    this.call('createComputePipeline', request.module, request.layout);
    return this.make('pipeline');
  }
  destroyPipeline(pipeline: FakeRecord): void {
    this.call('destroyPipeline', pipeline);
    pipeline.destroyed = true;
  }
  createDescriptorPool() {
    this.call('createDescriptorPool');
    return this.make('descriptorPool');
  }
  destroyDescriptorPool(pool: FakeRecord): void {
    this.call('destroyDescriptorPool', pool);
    pool.destroyed = true;
  }
  allocateDescriptorSets(pool: FakeRecord, layouts: readonly unknown[]) {
    this.call('allocateDescriptorSets', pool, ...layouts);
    return layouts.map(() => this.make('descriptorSet'));
  }
  freeDescriptorSets(pool: FakeRecord, sets: readonly FakeRecord[]): void {
    this.call('freeDescriptorSets', pool, ...sets);
    for (const set of sets) set.destroyed = true;
  }
  updateDescriptorSets(
    writes: readonly { readonly set: unknown; readonly buffers: readonly { buffer: unknown }[] }[],
  ): void {
    this.call('updateDescriptorSets', ...writes.flatMap((w) => [w.set, ...w.buffers.map((b) => b.buffer)]));
  }
  createCommandPool() {
    this.call('createCommandPool');
    return this.make('commandPool');
  }
  destroyCommandPool(pool: FakeRecord): void {
    this.call('destroyCommandPool', pool);
    pool.destroyed = true;
  }
  resetCommandPool(pool: FakeRecord): void {
    this.call('resetCommandPool', pool);
  }
  allocateCommandBuffers(pool: FakeRecord, count: number) {
    this.call('allocateCommandBuffers', pool);
    return Array.from({ length: count }, () =>
      this.make<FakeCommandBuffer>('commandBuffer', { commands: [], flags: 0 }),
    );
  }
  freeCommandBuffers(pool: FakeRecord, commandBuffers: readonly FakeRecord[]): void {
    this.call('freeCommandBuffers', pool, ...commandBuffers);
    for (const cb of commandBuffers) cb.destroyed = true;
  }
  recordCommandBuffer(
    commandBuffer: FakeCommandBuffer,
    flags: number,
    commands: readonly RecordedCommand<unknown, unknown, unknown, unknown>[],
  ): void {
    this.call('recordCommandBuffer', commandBuffer);
    commandBuffer.commands = commands;
    commandBuffer.flags = flags;
    this.lastRecorded = commands;
  }
  resetCommandBuffer(commandBuffer: FakeCommandBuffer): void {
    this.call('resetCommandBuffer', commandBuffer);
    commandBuffer.commands = [];
  }
  queueSubmit(
    queue: FakeRecord,
    submits: readonly (readonly FakeCommandBuffer[])[],
    fence: FakeFence | undefined,
  ): void {
    this.call('queueSubmit', queue, fence, ...submits.flat());
    if (fence?.signaled) throw new Error('fake backend: queueSubmit with a signaled fence');
    this.gpu.pending.push({ fence, commandBuffers: submits.flat() });
  }
  queueWaitIdle(queue: FakeRecord): void {
    this.call('queueWaitIdle', queue);
    this.gpu.finish();
  }
  deviceWaitIdle(): void {
    this.call('deviceWaitIdle');
    this.gpu.finish();
  }
  createFence(signaled: boolean) {
    this.call('createFence');
    return this.make<FakeFence>('fence', { signaled });
  }
  destroyFence(fence: FakeFence): void {
    this.call('destroyFence', fence);
    fence.destroyed = true;
  }
  resetFences(fences: readonly FakeFence[]): void {
    this.call('resetFences', ...fences);
    for (const fence of fences) fence.signaled = false;
  }
  getFenceStatus(fence: FakeFence): boolean {
    this.call('getFenceStatus', fence);
    return fence.signaled;
  }
  waitForFences(fences: readonly FakeFence[], waitAll: boolean): boolean {
    this.call('waitForFences', ...fences);
    if (this.gpu.finishOnWait) this.gpu.finish();
    return waitAll ? fences.every((f) => f.signaled) : fences.some((f) => f.signaled);
  }
  async waitForFencesAsync(fences: readonly FakeFence[], waitAll: boolean): Promise<boolean> {
    this.call('waitForFencesAsync', ...fences);
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (this.gpu.finishOnWait) this.gpu.finish();
    return waitAll ? fences.every((f) => f.signaled) : fences.some((f) => f.signaled);
  }
}

/** An instance over one fake physical device; `devices` holds every backend device it made. */
export function fakeInstance(queueFamilies: readonly QueueFamilyProperties[] = FAMILIES.computeOnly) {
  const devices: FakeDeviceBackend[] = [];
  const physicalDevice: PhysicalDeviceBackend = {
    description: describe(queueFamilies),
    createDevice(request: DeviceRequest) {
      const device = new FakeDeviceBackend(request);
      devices.push(device);
      return device;
    },
  };
  const backend: InstanceBackend = {
    backendName: 'fake',
    apiVersion: VK_API_VERSION_1_3,
    physicalDevices: () => [physicalDevice],
    destroy: () => {},
  };
  const instance = new FrontInstance(backend);
  return { instance, physicalDevice: instance.enumeratePhysicalDevices()[0]!, devices };
}
