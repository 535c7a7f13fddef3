/**
 * Loads the compiled addon (prebuilds/ or build/Release, through node-gyp-build) and describes what it
 * exports. Nothing here touches Vulkan: the addon finds the Vulkan loader only when asked to.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { NativeUnavailableError } from './errors.js';

export interface BindingPhysicalDevice {
  properties: {
    apiVersion: number;
    driverVersion: number;
    vendorID: number;
    deviceID: number;
    deviceType: number;
    deviceName: string;
    /** The C structure VkPhysicalDeviceLimits, byte for byte; decoded by @vkmap/core's table of its members. */
    limitsBytes: ArrayBuffer;
    /** sizeof(size_t) in the addon, for that decoding. */
    pointerSize: number;
    maxMemoryAllocationSize: bigint;
  };
  memoryProperties: {
    memoryTypes: { propertyFlags: number; heapIndex: number }[];
    memoryHeaps: { size: bigint; flags: number }[];
  };
  queueFamilies: {
    queueFlags: number;
    queueCount: number;
    timestampValidBits: number;
    minImageTransferGranularity: { width: number; height: number; depth: number };
  }[];
  extensions: { extensionName: string; specVersion: number }[];
  placedFeatures: { memoryMapPlaced: boolean; memoryMapRangePlaced: boolean; memoryUnmapReserve: boolean };
  minPlacedMemoryMapAlignment?: bigint;
  hasMemoryBudget: boolean;
}

export interface BindingRange {
  id: number;
  address: bigint;
  size: bigint;
}

/** Entry points of the map commands; the addon picks the driver's function by the name. */
export type MapCommandName = 'vkMapMemory' | 'vkMapMemory2' | 'vkMapMemory2KHR';
export type UnmapCommandName = 'vkUnmapMemory' | 'vkUnmapMemory2' | 'vkUnmapMemory2KHR';

/**
 * The addon's functions. They take resolved values from the backend (native/src/device.ts), which the checked
 * front of @vkmap/core has checked; the addon checks again only what keeps pointers and views sound.
 */
export interface NativeBinding {
  loaderInfo(): { loaded: boolean; library: string; error: string; instanceVersion: number; installHint: string };
  createInstance(apiVersion: number): { id: number; apiVersion: number };
  destroyInstance(instance: number): void;
  enumeratePhysicalDevices(instance: number): BindingPhysicalDevice[];
  getMemoryBudget(instance: number, physicalDevice: number): { heapBudget: bigint[]; heapUsage: bigint[] } | undefined;
  createDevice(
    instance: number,
    physicalDevice: number,
    apiVersion: number,
    extensions: string[],
    features: { memoryMapPlaced: boolean; memoryMapRangePlaced: boolean; memoryUnmapReserve: boolean } | undefined,
    queues: { queueFamilyIndex: number; priorities: readonly number[] }[],
  ): { id: number; driverCommands: Record<string, boolean> };
  destroyDevice(device: number): void;
  /** The new VkDeviceMemory's value: a number where it is a safe integer, else a bigint. */
  allocateMemory(
    device: number,
    size: bigint | number,
    memoryTypeIndex: number,
    deviceMask: number | undefined,
  ): number | bigint;
  freeMemory(device: number, memory: bigint | number): void;
  mappedMemoryRanges(device: number, ranges: [bigint, bigint, bigint][], invalidate: boolean): void;
  /**
   * memory, offset and size: bigints, or numbers where they are safe integers. control: the command's code
   * (0 vkMapMemory, 1 vkMapMemory2, 2 vkMapMemory2KHR) | 4 for views: 'detach' | 8 for
   * VK_MEMORY_MAP_PLACED_BIT_EXT (then placedAddress). Returns `cachedSerial` itself when the view cached
   * under it is still this mapping's view, else the new view (strategy: 0 driver, 1 alias, 2 placed).
   * (The older form, command name and flags in place of control and cachedSerial, always returns the object.)
   */
  mapMemory(
    device: number,
    memory: bigint | number,
    offset: bigint | number,
    size: bigint | number,
    control: number,
    cachedSerial: number,
    placedAddress?: bigint,
  ): number | { address: bigint; buffer: ArrayBuffer; serial: number; strategy: number };
  /** control: the command's code (0 vkUnmapMemory, 1 vkUnmapMemory2, 2 vkUnmapMemory2KHR) | 8 for the reserve bit. */
  unmapMemory(device: number, memory: bigint | number, control: number): BindingRange | undefined;
  reserveAddressRange(size: bigint, alignment: bigint): BindingRange;
  releaseAddressRange(range: number): void;
  pageSize(): number;

  // The compute chapters (src/addon/{queue,fence-wait,resources,pipelines,commands}.h). Objects are named by
  // their handle values; lists of them travel as BigUint64Arrays, packed create-info members as Uint32Arrays.
  getDeviceQueue(device: number, queueFamilyIndex: number, queueIndex: number): bigint;
  queueSubmit(device: number, queue: bigint, submits: BigUint64Array[], fence: bigint | undefined): void;
  queueWaitIdle(device: number, queue: bigint): void;
  deviceWaitIdle(device: number): void;
  createFence(device: number, signaled: boolean): bigint;
  destroyFence(device: number, fence: bigint): void;
  resetFences(device: number, fences: BigUint64Array): void;
  getFenceStatus(device: number, fence: bigint): boolean;
  waitForFences(device: number, fences: BigUint64Array, waitAll: boolean, timeout: bigint): boolean;
  waitForFencesAsync(device: number, fences: BigUint64Array, waitAll: boolean, timeout: bigint): Promise<boolean>;
  createBuffer(device: number, size: bigint, usage: number): bigint;
  destroyBuffer(device: number, buffer: bigint): void;
  getBufferMemoryRequirements(
    device: number,
    buffer: bigint,
  ): { size: bigint; alignment: bigint; memoryTypeBits: number };
  bindBufferMemory(device: number, buffer: bigint, memory: bigint, offset: bigint): void;
  createShaderModule(device: number, code: Uint32Array): bigint;
  destroyShaderModule(device: number, module: bigint): void;
  /** bindings: [binding, descriptorType, descriptorCount, stageFlags] each. */
  createDescriptorSetLayout(device: number, bindings: Uint32Array): bigint;
  destroyDescriptorSetLayout(device: number, layout: bigint): void;
  /** pushConstantRanges: [stageFlags, offset, size] each. */
  createPipelineLayout(device: number, setLayouts: BigUint64Array, pushConstantRanges: Uint32Array): bigint;
  destroyPipelineLayout(device: number, layout: bigint): void;
  /** mapEntries: [constantID, offset, size] each; both undefined without specialization. */
  createComputePipeline(
    device: number,
    module: bigint,
    entryPoint: string,
    layout: bigint,
    mapEntries: Uint32Array | undefined,
    data: Uint8Array | undefined,
  ): bigint;
  destroyPipeline(device: number, pipeline: bigint): void;
  /** poolSizes: [type, descriptorCount] each. */
  createDescriptorPool(device: number, flags: number, maxSets: number, poolSizes: Uint32Array): bigint;
  destroyDescriptorPool(device: number, pool: bigint): void;
  allocateDescriptorSets(device: number, pool: bigint, layouts: BigUint64Array): BigUint64Array;
  freeDescriptorSets(device: number, pool: bigint, sets: BigUint64Array): void;
  /** writes: [set, binding, arrayElement, descriptorType, count, count x (buffer, offset, range)] each. */
  updateDescriptorSets(device: number, writes: BigUint64Array): void;
  createCommandPool(device: number, flags: number, queueFamilyIndex: number): bigint;
  destroyCommandPool(device: number, pool: bigint): void;
  resetCommandPool(device: number, pool: bigint): void;
  allocateCommandBuffers(device: number, pool: bigint, count: number): BigUint64Array;
  freeCommandBuffers(device: number, pool: bigint, commandBuffers: BigUint64Array): void;
  /** commands: the encoding of src/compute/encode.ts; bytes: the push constant values it points into. */
  recordCommandBuffer(
    device: number,
    commandBuffer: bigint,
    flags: number,
    commands: BigUint64Array,
    bytes: Uint8Array,
  ): void;
  resetCommandBuffer(device: number, commandBuffer: bigint): void;

  /** Whether mapped views carry the addon's detach key (src/addon/view-guard.h); otherwise views.ts guards them. */
  readonly viewsKeyed: boolean;
}

/** The package root: this file is src/binding.ts in the sources and dist/binding.js once built. */
export const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** The platforms the npm package carries a prebuilt addon for (scripts/prebuild.sh). */
export const PREBUILT_PLATFORMS = ['linux-x64', 'linux-arm64'] as const;
/** The oldest glibc the prebuilt addons load on; test/prebuilds.test.ts checks their symbol versions. */
export const PREBUILT_GLIBC_FLOOR = '2.17';

let loaded: NativeBinding | undefined;
let failure: NativeUnavailableError | undefined;

/** This machine as node-gyp-build matches it: platform-arch (npm_config_* may override them) and the C library. */
function describeHost(): string {
  const platform = process.env.npm_config_platform || process.platform;
  const target = `${platform}-${process.env.npm_config_arch || process.arch}`;
  if (platform !== 'linux') return target;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const glibc = report?.header?.glibcVersionRuntime;
  return glibc ? `${target} with glibc ${glibc}` : `${target} with a C library other than glibc`;
}

/** The prebuilds/<platform>-<arch> directories this copy of the package has. */
function listPrebuilds(): string {
  try {
    const dirs = readdirSync(`${packageRoot}/prebuilds`, { withFileTypes: true }).filter((d) => d.isDirectory());
    return (
      dirs
        .map((d) => d.name)
        .sort()
        .join(', ') || 'none'
    );
  } catch {
    return 'none';
  }
}

/** The addon, loaded once. Throws `NativeUnavailableError` saying what to install or build when it is missing. */
export function loadBinding(): NativeBinding {
  if (loaded) return loaded;
  if (failure) throw failure;
  try {
    const require = createRequire(import.meta.url);
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => NativeBinding;
    loaded = nodeGypBuild(packageRoot);
    return loaded;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]!.trim() : String(error);
    failure = new NativeUnavailableError(
      `the @vkmap/native addon could not be loaded (${reason}). ` +
        `Looked for a binary for ${describeHost()} (Node-API 8) in build/Release and prebuilds/ of ${packageRoot}; ` +
        `this package has prebuilds for: ${listPrebuilds()}. ` +
        `Prebuilt binaries cover ${PREBUILT_PLATFORMS.join(' and ')} with glibc >= ${PREBUILT_GLIBC_FLOOR}; ` +
        'elsewhere, install a C++20 compiler, make and python3 and build it from source with ' +
        '`npm rebuild @vkmap/native` (no Vulkan SDK needed). ' +
        'The emulated backend (@vkmap/emulated) needs no native code.',
      error,
    );
    throw failure;
  }
}
