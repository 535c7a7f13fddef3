/** The child side's shared parts: opening a backend, classifying errors, the state probe. */
import {
  ValidationError,
  VK_WHOLE_SIZE,
  VkError,
  VkMemoryPropertyFlagBits,
  VkmapArgumentError,
  VkmapStateError,
  type Device,
  type DeviceMemory,
  type HostAddressRange,
  type Instance,
  type MappedMemory,
  type PhysicalDevice,
} from '@vkmap/core';
import { createEmulatedInstance } from '@vkmap/emulated';
import { createNativeInstance } from '@vkmap/native';

export type Backend = 'native' | 'emulated';
export type Views = 'stable' | 'detach';

export interface OpenParams {
  backend: Backend;
  validation?: boolean;
  views?: Views;
  /** Prefer a physical device with a HOST_VISIBLE type that is not HOST_COHERENT. */
  nonCoherent?: boolean;
}

export interface Opened {
  instance: Instance;
  physicalDevice: PhysicalDevice;
  device: Device;
  /** A HOST_VISIBLE memory type (non-coherent where asked and available). */
  hostVisibleType: number;
  coherent: boolean;
  atom: bigint;
}

const { VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT: HV, VK_MEMORY_PROPERTY_HOST_COHERENT_BIT: HC } = VkMemoryPropertyFlagBits;

export function createInstance(backend: Backend): Instance {
  return backend === 'native' ? createNativeInstance() : createEmulatedInstance();
}

export function pickType(physicalDevice: PhysicalDevice, nonCoherent = false): { index: number; coherent: boolean } {
  const types = physicalDevice.getMemoryProperties().memoryTypes;
  if (nonCoherent) {
    const index = types.findIndex((t) => (t.propertyFlags & HV) !== 0 && (t.propertyFlags & HC) === 0);
    if (index >= 0) return { index, coherent: false };
  }
  const index = types.findIndex((t) => (t.propertyFlags & HV) !== 0);
  return { index, coherent: (types[index]!.propertyFlags & HC) !== 0 };
}

export function openDevice(instance: Instance, params: OpenParams): Opened {
  const all = instance.enumeratePhysicalDevices();
  let physicalDevice = all[0]!;
  if (params.nonCoherent) {
    physicalDevice =
      all.find((pd) =>
        pd.getMemoryProperties().memoryTypes.some((t) => (t.propertyFlags & HV) !== 0 && (t.propertyFlags & HC) === 0),
      ) ?? physicalDevice;
  }
  const device = physicalDevice.createDevice({
    validation: params.validation ?? false,
    ...(params.views ? { views: params.views } : {}),
  });
  const { index, coherent } = pickType(physicalDevice, params.nonCoherent);
  const atom = BigInt(physicalDevice.getProperties().limits.nonCoherentAtomSize);
  return { instance, physicalDevice, device, hostVisibleType: index, coherent, atom };
}

export function open(params: OpenParams): Opened {
  return openDevice(createInstance(params.backend), params);
}

/** The allowed classes of a refusal; anything else is a finding. */
export const ALLOWED = [
  'VkError',
  'ValidationError',
  'VkmapArgumentError',
  'VkmapStateError',
  'TypeError',
  'RangeError',
];

/** The class an error counts as: one of ALLOWED when it is one, else its own name. */
export function classify(error: unknown): string {
  if (error instanceof ValidationError) return 'ValidationError';
  if (error instanceof VkError) return 'VkError';
  if (error instanceof VkmapArgumentError) return 'VkmapArgumentError';
  if (error instanceof VkmapStateError) return 'VkmapStateError';
  if (error instanceof TypeError) return 'TypeError';
  if (error instanceof RangeError) return 'RangeError';
  if (error instanceof Error) return `other:${error.constructor?.name ?? error.name}`;
  return `non-error:${typeof error}`;
}

/** 'ok', or the class of what `action` threw. */
export function attempt(action: () => unknown): string {
  try {
    action();
    return 'ok';
  } catch (error) {
    return classify(error);
  }
}

export interface Tracked {
  memory: DeviceMemory;
  mapping?: MappedMemory;
}

/**
 * The observable state of a device and the objects a case holds: what must be the same after a refused call
 * as before it. Handle validity is read through flush of the whole memory (changes nothing): 'ok' while
 * mapped, the refusal's class otherwise (not mapped, freed, destroyed device).
 */
export function probe(
  device: Device,
  tracked: readonly Tracked[],
  ranges: readonly HostAddressRange[] = [],
  instance?: Instance,
): string {
  const state: unknown[] = [instance?.isDestroyed ?? null, device.isDestroyed];
  let budget: unknown = null;
  // lavapipe's heapUsage is the system's memory in use, which moves by itself: only the emulated budget
  // (the bytes it allocated) is part of the state.
  const volatileBudget = (device.physicalDevice.instance as { backendName?: string }).backendName === 'native';
  if (!device.isDestroyed && !volatileBudget) {
    try {
      budget = device.getMemoryBudget()?.heapUsage.map(String) ?? 'none';
    } catch (error) {
      budget = classify(error);
    }
  }
  state.push(budget);
  for (const t of tracked) {
    const mapped = t.mapping?.isMapped ?? false;
    let validity = 'destroyed';
    if (!device.isDestroyed) {
      validity = attempt(() => device.flushMappedMemoryRanges([{ memory: t.memory, offset: 0, size: VK_WHOLE_SIZE }]));
    }
    state.push([String(t.memory.handle), mapped, validity, mapped ? t.mapping!.data.byteLength : -1]);
  }
  for (const r of ranges) state.push(r.isReserved);
  return JSON.stringify(state);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full garbage collections with turns of the event loop between them, so FinalizationRegistry callbacks run. */
export async function collect(rounds = 4): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < rounds; i++) {
    gc();
    await sleep(5);
  }
}
