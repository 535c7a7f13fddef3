/**
 * The emulated logical device: the checked front of @vkmap/core over the emulated backend, plus what only
 * an emulator can offer: device-side reads and writes, fault injection, the host address space to inspect.
 */
import {
  describeValue,
  FrontDevice,
  toDeviceSize,
  VkmapArgumentError,
  type DeviceSizeInput,
  type DeviceMemory,
  type FrontDeviceInit,
} from '@vkmap/core';
import type { EmulatedAddressReservation } from './address-reservation.js';
import type { EmulatedDeviceBackend } from './device-backend.js';
import type { EmulatedMemory } from './device-memory.js';
import type { FaultInjector } from './fault-injector.js';
import type { HostAddressSpace } from './host-address-space.js';

export class EmulatedDevice extends FrontDevice<EmulatedMemory, EmulatedAddressReservation> {
  /** Deterministic fault injection: failing calls and shrunken heap budgets. */
  readonly faults: FaultInjector;
  /** The simulated host virtual address space that mappings and reservations come from. */
  readonly addressSpace: HostAddressSpace;
  private readonly emulated: EmulatedDeviceBackend;

  constructor(init: FrontDeviceInit<EmulatedMemory, EmulatedAddressReservation>, backend: EmulatedDeviceBackend) {
    super(init);
    this.emulated = backend;
    this.faults = backend.faults;
    this.addressSpace = backend.addressSpace;
  }

  /** Live allocations of this device. */
  get allocationCount(): number {
    return this.liveAllocationCount;
  }

  /** Reads memory as the GPU sees it (for tests and compute): a copy of [offset, offset + size). */
  deviceRead(memory: DeviceMemory, offset: DeviceSizeInput, size: DeviceSizeInput): Uint8Array {
    const record = this.liveMemory('deviceRead', memory);
    const [start, length] = deviceRange(
      record.allocationSize,
      toDeviceSize(offset, 'offset'),
      toDeviceSize(size, 'size'),
    );
    return this.emulated.deviceRead(record.backend, start, length);
  }

  /** Writes memory as the GPU would (a shader store or a transfer). */
  deviceWrite(memory: DeviceMemory, offset: DeviceSizeInput, bytes: Uint8Array): void {
    const record = this.liveMemory('deviceWrite', memory);
    if (!(bytes instanceof Uint8Array))
      throw new VkmapArgumentError('bytes', `must be a Uint8Array (got ${describeValue(bytes)})`);
    const [start] = deviceRange(record.allocationSize, toDeviceSize(offset, 'offset'), BigInt(bytes.length));
    this.emulated.deviceWrite(record.backend, start, bytes);
  }
}

function deviceRange(allocationSize: bigint, offset: bigint, size: bigint): [number, number] {
  if (offset > allocationSize || size > allocationSize - offset) {
    throw new VkmapArgumentError(
      'offset',
      `range ${offset} + ${size} is outside the allocation of ${allocationSize} bytes`,
    );
  }
  return [Number(offset), Number(size)];
}
