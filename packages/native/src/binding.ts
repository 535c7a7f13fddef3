/**
 * Loads the compiled addon (prebuilds/ or build/Release, through node-gyp-build) and describes what it
 * exports. Nothing here touches Vulkan: the addon finds the Vulkan loader only when asked to.
 */
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
    limits: {
      minMemoryMapAlignment: number;
      nonCoherentAtomSize: bigint;
      maxMemoryAllocationCount: number;
      maxMemoryAllocationSize: bigint;
      bufferImageGranularity: bigint;
    };
  };
  memoryProperties: {
    memoryTypes: { propertyFlags: number; heapIndex: number }[];
    memoryHeaps: { size: bigint; flags: number }[];
  };
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

/** Which entry point a map or unmap call stands for (MapCommand in src/addon/mapping.h). */
export const MapCommand = { vkMapMemory: 0, vkMapMemory2: 1, vkMapMemory2KHR: 2 } as const;
export type MapCommandValue = (typeof MapCommand)[keyof typeof MapCommand];

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
  ): { id: number; driverCommands: Record<string, boolean> };
  destroyDevice(device: number): void;
  allocateMemory(device: number, size: bigint, memoryTypeIndex: number, deviceMask: number | undefined): bigint;
  freeMemory(device: number, memory: bigint): void;
  mappedMemoryRanges(device: number, ranges: [bigint, bigint, bigint][], invalidate: boolean): void;
  mapMemory(
    device: number,
    memory: bigint,
    offset: bigint,
    size: bigint,
    command: MapCommandValue,
    flags: number,
    placedAddress?: bigint,
  ): { address: bigint; buffer: ArrayBuffer };
  unmapMemory(device: number, memory: bigint, command: MapCommandValue, flags: number): BindingRange | undefined;
  reserveAddressRange(size: bigint, alignment: bigint): BindingRange;
  releaseAddressRange(range: number): void;
  pageSize(): number;
  /** Whether mapped views carry the addon's detach key (src/addon/view-guard.h); otherwise views.ts guards them. */
  readonly viewsKeyed: boolean;
}

/** The package root: this file is src/binding.ts in the sources and dist/binding.js once built. */
export const packageRoot = fileURLToPath(new URL('..', import.meta.url));

let loaded: NativeBinding | undefined;
let failure: NativeUnavailableError | undefined;

/** The addon, loaded once. Throws `NativeUnavailableError` saying how to build it when it is missing. */
export function loadBinding(): NativeBinding {
  if (loaded) return loaded;
  if (failure) throw failure;
  try {
    const require = createRequire(import.meta.url);
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => NativeBinding;
    loaded = nodeGypBuild(packageRoot);
    return loaded;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    failure = new NativeUnavailableError(
      `the @vkmap/native addon could not be loaded (${reason}). ` +
        `No prebuilt binary matches ${process.platform}-${process.arch} (Node-API 8); build it with ` +
        '`pnpm --filter @vkmap/native build:addon` (needs a C++17 compiler, make and python3; no Vulkan SDK), ' +
        'or reinstall the package so that its install script runs.',
      error,
    );
    throw failure;
  }
}
