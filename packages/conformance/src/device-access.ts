/**
 * Device-side access built on the contract alone, so that every backend whose device has a queue runs the
 * scenarios that check what the device sees: a read copies bytes of the memory under test into a staging
 * buffer with vkCmdCopyBuffer, a write copies them from one.
 *
 * - The memory under test is reached through a buffer bound in it. A buffer binds at a multiple of its
 *   requirements' alignment, so the buffer starts at the aligned offset at or below the bytes wanted and the
 *   copy region's srcOffset / dstOffset reach the exact byte (copies have no alignment rule).
 * - Staging memory is HOST_VISIBLE and HOST_COHERENT where the buffer allows it (the specification
 *   guarantees such a type); otherwise it is flushed after the host fills it and invalidated before the host
 *   reads it. The memory under test is never flushed or invalidated here: a read returns what the device
 *   sees, and a write changes only the device's side, as the reference model expects.
 * - After a copy a barrier makes its writes visible to the host (TRANSFER_WRITE -> HOST_READ | HOST_WRITE);
 *   the fence wait then orders them before anything the host does next.
 * - The memory under test may be mapped meanwhile: a mapping stays valid while the device accesses the
 *   memory, and the scenarios' views are not touched while the copy runs (the wait is synchronous).
 * - Every call makes its buffers and staging memory and gives them back before it returns, so heap usage
 *   and the memory object count are as they were. The queue, pool and fence are kept for the session.
 */
import {
  alignDown,
  VK_WHOLE_SIZE,
  VkAccessFlagBits,
  VkPipelineStageFlagBits,
  toDeviceSize,
  type Buffer,
  type Device,
  type DeviceMemory,
  type MappedMemory,
} from '@vkmap/core';
import type { DeviceSideAccess } from './backend.js';
import { assertSameBytes } from './bytes.js';
import { TRANSFER_USAGE, type TransferPlan } from './device-target.js';
import { Submitter, toHostBarrier } from './submitter.js';

const { VK_PIPELINE_STAGE_TRANSFER_BIT } = VkPipelineStageFlagBits;
const { VK_ACCESS_TRANSFER_WRITE_BIT } = VkAccessFlagBits;

/** A buffer bound in the memory under test at `bindOffset`, covering the bytes a copy needs. */
interface Window {
  readonly buffer: Buffer;
  readonly bindOffset: bigint;
}

interface Staging {
  readonly memory: DeviceMemory;
  readonly buffer: Buffer;
  readonly mapping: MappedMemory;
}

export class TransferDeviceAccess implements DeviceSideAccess {
  private readonly device: Device;
  private readonly plan: TransferPlan;
  private readonly submitter: Submitter;

  constructor(device: Device, plan: TransferPlan) {
    this.device = device;
    this.plan = plan;
    this.submitter = new Submitter(device, plan.queueFamilyIndex);
  }

  /** Whether a transfer buffer can live in memory of this type. */
  reaches(memoryTypeIndex: number): boolean {
    return ((this.plan.memoryTypeBits >>> memoryTypeIndex) & 1) === 1;
  }

  read(memory: DeviceMemory, offset: number | bigint, size: number | bigint): Uint8Array {
    const start = toDeviceSize(offset, 'offset');
    const length = toDeviceSize(size, 'size');
    if (length === 0n) return new Uint8Array(0);
    return this.withWindow(memory, start, length, (window) =>
      this.withStaging(length, (staging) => {
        this.submitter.run((commandBuffer) => {
          this.device.cmdCopyBuffer(commandBuffer, window.buffer, staging.buffer, [
            { srcOffset: start - window.bindOffset, dstOffset: 0, size: length },
          ]);
          this.device.cmdPipelineBarrier(
            commandBuffer,
            toHostBarrier(VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, [staging.buffer]),
          );
        });
        if (!this.plan.stagingCoherent) {
          this.device.invalidateMappedMemoryRanges([{ memory: staging.memory, offset: 0, size: VK_WHOLE_SIZE }]);
        }
        return staging.mapping.data.slice(0, Number(length));
      }),
    );
  }

  write(memory: DeviceMemory, offset: number | bigint, bytes: Uint8Array): void {
    const start = toDeviceSize(offset, 'offset');
    const length = BigInt(bytes.length);
    if (length === 0n) return;
    this.withWindow(memory, start, length, (window) =>
      this.withStaging(length, (staging) => {
        staging.mapping.data.set(bytes);
        if (!this.plan.stagingCoherent) {
          this.device.flushMappedMemoryRanges([{ memory: staging.memory, offset: 0, size: VK_WHOLE_SIZE }]);
        }
        this.submitter.run((commandBuffer) => {
          this.device.cmdCopyBuffer(commandBuffer, staging.buffer, window.buffer, [
            { srcOffset: 0, dstOffset: start - window.bindOffset, size: length },
          ]);
          this.device.cmdPipelineBarrier(
            commandBuffer,
            toHostBarrier(VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, [window.buffer]),
          );
        });
      }),
    );
  }

  /**
   * Runs `body` with a buffer over bytes [start, start + length) of `memory`: bound at the aligned offset at
   * or below `start`, reaching to the end of the memory (or, where the driver rounds that buffer's size past
   * the end, only to the end of the range).
   */
  private withWindow<T>(memory: DeviceMemory, start: bigint, length: bigint, body: (window: Window) => T): T {
    const end = start + length;
    if (end > memory.allocationSize) {
      throw new RangeError(
        `device-side access of bytes [${start}, ${end}) runs past the end of the memory (${memory.allocationSize} bytes)`,
      );
    }
    if (!this.reaches(memory.memoryTypeIndex)) {
      throw new Error(
        `internal: device-side access of memory type ${memory.memoryTypeIndex}, which no transfer buffer may use`,
      );
    }
    const bindOffset = alignDown(start, this.plan.alignment);
    const room = memory.allocationSize - bindOffset;
    let buffer: Buffer | undefined;
    const sizes = room === end - bindOffset ? [room] : [room, end - bindOffset];
    for (const size of sizes) {
      const candidate = this.device.createBuffer({ size, usage: TRANSFER_USAGE });
      if (this.device.getBufferMemoryRequirements(candidate).size <= room) {
        buffer = candidate;
        break;
      }
      this.device.destroyBuffer(candidate);
    }
    if (!buffer) {
      throw new Error(
        `device-side access: no transfer buffer bound at offset ${bindOffset} (the alignment ${this.plan.alignment} allows no later one) ` +
          `reaches bytes [${start}, ${end}): the driver rounds its size past the end of the memory (${memory.allocationSize} bytes)`,
      );
    }
    try {
      this.device.bindBufferMemory(buffer, memory, bindOffset);
      return body({ buffer, bindOffset });
    } finally {
      this.device.destroyBuffer(buffer);
    }
  }

  /** Runs `body` with a mapped staging buffer of at least `length` bytes, in memory of its own. */
  private withStaging<T>(length: bigint, body: (staging: Staging) => T): T {
    const { device } = this;
    const buffer = device.createBuffer({ size: length, usage: TRANSFER_USAGE });
    let memory: DeviceMemory | undefined;
    try {
      const requirements = device.getBufferMemoryRequirements(buffer);
      memory = device.allocateMemory({
        allocationSize: requirements.size,
        memoryTypeIndex: this.plan.stagingTypeIndex,
      });
      device.bindBufferMemory(buffer, memory, 0);
      const mapping = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
      return body({ memory, buffer, mapping });
    } finally {
      device.destroyBuffer(buffer);
      if (memory) device.freeMemory(memory); // unmaps it
    }
  }
}

/**
 * Device-side access through transfers where they reach the memory, checked against the backend's direct
 * access where the backend gives one (two independent oracles must agree on every byte); the direct access
 * alone for memory no transfer buffer may use.
 */
export function combinedAccess(
  transfer: TransferDeviceAccess | undefined,
  direct: DeviceSideAccess | undefined,
): DeviceSideAccess | undefined {
  if (!transfer) return direct;
  const unreachable = (memory: DeviceMemory) => !transfer.reaches(memory.memoryTypeIndex);
  return {
    read(memory, offset, size) {
      if (direct && unreachable(memory)) return direct.read(memory, offset, size);
      const bytes = transfer.read(memory, offset, size);
      if (direct) {
        assertSameBytes(
          bytes,
          direct.read(memory, offset, size),
          "device bytes copied out by vkCmdCopyBuffer, against the backend's direct device-side read",
          Number(offset),
        );
      }
      return bytes;
    },
    write(memory, offset, bytes) {
      if (direct && unreachable(memory)) return direct.write(memory, offset, bytes);
      transfer.write(memory, offset, bytes);
      if (direct) {
        assertSameBytes(
          direct.read(memory, offset, bytes.length),
          bytes,
          "device bytes written by vkCmdCopyBuffer, read back through the backend's direct device-side access",
          Number(offset),
        );
      }
    },
  };
}
