/**
 * What a backend hands the suite: a factory for its instance, optional hooks for capabilities that the
 * suite cannot reach through the contract, and what the backend declares it can do. A scenario that needs an
 * absent hook or capability is registered as skipped, with the reason in its name.
 */
import type { Device, DeviceMemory, FaultTarget, Instance, PhysicalDevice, VkResultName } from '@vkmap/core';
import type { ConformanceOptions } from './options.js';

/**
 * Reads and writes memory as the device sees it (a transfer or a shader), to check flush and invalidate. The
 * suite has its own, built on the contract (device-access.ts: buffers over the memory and vkCmdCopyBuffer);
 * a backend's hook, where it gives one, checks that path as a second, independent oracle.
 */
export interface DeviceSideAccess {
  read(memory: DeviceMemory, offset: number | bigint, size: number | bigint): Uint8Array;
  write(memory: DeviceMemory, offset: number | bigint, bytes: Uint8Array): void;
}

/** Commands whose failure the suite injects (@vkmap/core's command table); 'map' covers both map commands. */
export type { FaultTarget };

/** Driver fault injection (the shape of @vkmap/emulated's FaultInjector). */
export interface FaultControls {
  /** Makes the nth matching call from now on (1 = the next) fail with `result`, changing nothing. */
  failNthCall(fault: {
    readonly target: FaultTarget;
    readonly nth: number;
    readonly result: VkResultName;
    readonly count?: number;
  }): void;
  /** Caps a heap's budget, so allocations past it fail with VK_ERROR_OUT_OF_DEVICE_MEMORY. */
  setHeapBudget?(heapIndex: number, bytes: bigint): void;
  /** Disarms every fault and budget cap. */
  clear(): void;
}

/** One run of the host address space (the emulator's HostAddressSpace.runs()). */
export interface AddressSpaceRun {
  readonly start: bigint;
  readonly end: bigint;
  readonly state: 'free' | 'reserved' | 'mapped';
}

/** A view of the host address space that mappings and reservations come from. */
export interface AddressSpaceView {
  runs(): readonly AddressSpaceRun[];
}

export interface ConformanceBackend {
  /** Printed in test names and the matrix ("emulated", "native"). */
  readonly name: string;
  /** Called once when the suite is collected; the suite destroys the instance after its last test. */
  createInstance(): Instance;
  /** The physical devices to run on; default: every device the instance enumerates. */
  devices?(instance: Instance): readonly PhysicalDevice[];
  /** A short stable label for a physical device (a profile id); default: its deviceName. */
  deviceLabel?(physicalDevice: PhysicalDevice, index: number): string;
  /**
   * Direct device-side reads and writes for `device` (the backend's own device, never the validation layer).
   * Where the device has a queue the suite reads and writes through transfers and compares each result with
   * this hook; where it has none, the hook alone gives the device-side scenarios their access.
   */
  deviceAccess?(device: Device): DeviceSideAccess | undefined;
  /** Fault injection for `device`. */
  faults?(device: Device): FaultControls | undefined;
  /** The host address space of `device`, to compare address runs in the placed-map scenarios. */
  addressSpace?(device: Device): AddressSpaceView | undefined;
  /**
   * The backend runs compute shaders (vkCmdDispatch): the compute group runs where this is set and the device
   * has a COMPUTE queue family, and is skipped with the reason otherwise. Declared, not probed, so that a
   * backend whose dispatch breaks fails the group instead of skipping it.
   */
  readonly canDispatch?: boolean;
  /** Extensions of the family the suite must not enable even where offered (to test the core paths alone). */
  readonly excludeExtensions?: readonly string[];
  readonly options?: Partial<ConformanceOptions>;
}
