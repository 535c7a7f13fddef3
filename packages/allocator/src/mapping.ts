import { VK_WHOLE_SIZE, VkmapStateError, type Device, type DeviceMemory, type MappedMemory } from '@vkmap/core';
import { MappingHysteresis } from './mapping-hysteresis.js';

/**
 * The host mapping of one VkDeviceMemory (a block or a dedicated allocation), shared by everything in it:
 * the memory is mapped whole, once, when the first reference is taken, and unmapped when the last one
 * goes, unless the hysteresis holds an extra reference because mapping churns. Allocations hand out
 * subarrays of `data`, so when the memory is really unmapped the backend detaches the buffer under all of
 * them at once.
 */
export class MemoryMapping {
  private mapped: MappedMemory | null = null;
  private references = 0;
  private readonly hysteresis: MappingHysteresis;
  /** How many times the driver was asked to map this memory, for tests and statistics. */
  driverMapCount = 0;

  constructor(
    private readonly device: Device,
    private readonly memory: DeviceMemory,
    hysteresis: boolean,
  ) {
    this.hysteresis = new MappingHysteresis(hysteresis);
  }

  /** References taken by allocations (user maps and persistent maps), without the hysteresis one. */
  get referenceCount(): number {
    return this.references;
  }

  /** VMA's MapRefCount: every reference, the hysteresis one included. */
  get mapReferenceCount(): number {
    return this.references + (this.hysteresis.isHolding ? 1 : 0);
  }

  get isMapped(): boolean {
    return this.mapped !== null;
  }

  get isCoherent(): boolean {
    return this.mapped?.isCoherent ?? false;
  }

  /** The whole memory's bytes while mapped. */
  get data(): Uint8Array {
    if (!this.mapped) throw new VkmapStateError(`memory ${this.memory.handle} is not mapped`);
    return this.mapped.data;
  }

  /** Takes a reference, mapping the memory if needed; a failed map leaves everything as it was. */
  acquire(): Uint8Array {
    if (!this.mapped) {
      this.mapped = this.device.mapMemory(this.memory, 0, VK_WHOLE_SIZE);
      this.driverMapCount += 1;
    }
    this.references += 1;
    this.hysteresis.onMap();
    return this.mapped.data;
  }

  release(): void {
    if (this.references === 0)
      throw new Error(`internal: memory ${this.memory.handle} released more often than acquired`);
    this.references -= 1;
    this.hysteresis.onUnmap();
    this.unmapIfUnused();
  }

  onAllocate(): void {
    this.hysteresis.onAllocate();
  }

  onFree(): void {
    if (this.hysteresis.onFree()) this.unmapIfUnused();
  }

  /** Unmaps whatever is left (the memory is about to be freed). */
  dispose(): void {
    this.hysteresis.reset();
    this.references = 0;
    this.unmapIfUnused();
  }

  private unmapIfUnused(): void {
    if (this.references > 0 || this.hysteresis.isHolding || !this.mapped) return;
    this.mapped = null;
    this.device.unmapMemory(this.memory);
  }
}
