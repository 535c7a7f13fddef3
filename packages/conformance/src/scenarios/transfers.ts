/**
 * Device transfers of mapped memory, for every HOST_VISIBLE memory type a transfer buffer may use: the host
 * writes through a mapping that stays mapped, flushes the atoms it wrote, the device copies (vkCmdCopyBuffer)
 * or fills (vkCmdFillBuffer) with ranges that start and end inside atoms, a barrier makes the writes visible
 * to the host, a fence is waited for, the host invalidates and reads. Every byte the host reads is checked
 * against the reference model, so device bytes of atoms around a copy must be what the device held, and host
 * bytes outside the invalidated atoms must stay the host's.
 */
import {
  VK_WHOLE_SIZE,
  VkAccessFlagBits,
  VkMemoryPropertyFlagBits,
  VkPipelineStageFlagBits,
  type DeviceMemory,
} from '@vkmap/core';
import { pattern } from '../bytes.js';
import { withContext } from '../context.js';
import { TRANSFER_USAGE, type HostVisibleType, type TransferPlan } from '../device-target.js';
import { SKIP, type ScenarioSpec, type TargetContext } from '../scenario.js';
import type { ScenarioSession } from '../session.js';
import { Submitter, toHostBarrier } from '../submitter.js';
import {
  checkHostBytes,
  deviceBytesOf,
  flushRange,
  hostWrite,
  invalidateRange,
  mappedBufferMemory,
  release,
  wordsToBytes,
  type MappedBufferMemory,
} from './device-work.js';

const { VK_PIPELINE_STAGE_TRANSFER_BIT } = VkPipelineStageFlagBits;
const { VK_ACCESS_TRANSFER_READ_BIT, VK_ACCESS_TRANSFER_WRITE_BIT } = VkAccessFlagBits;
const { VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT } = VkMemoryPropertyFlagBits;

/** At least this many atoms per memory, so that ranges can start and end inside distinct atoms. */
const MIN_ATOMS = 8;
/** The fill value: distinct bytes, so a fill shifted by a byte or a word shows. */
const FILL_WORD = 0xa5c3_e10f;

/** A byte offset inside atom `index` (`part` quarters of the way in): a boundary only for atoms of 1 to 3 bytes. */
function inside(atom: number, index: number, part: number): number {
  return index * atom + Math.floor((atom * part) / 4);
}

/** Memory of `type` for these scenarios: at least MIN_ATOMS atoms, a transfer buffer bound at `bindOffset`. */
function transferMemory(
  session: ScenarioSession,
  type: HostVisibleType,
  bindOffset: (alignment: number) => number = () => 0,
): MappedBufferMemory {
  const atom = Number(session.target.atomSize);
  const size = Math.max(MIN_ATOMS * atom, 1024);
  return mappedBufferMemory(session, type, { size, usage: TRANSFER_USAGE, bindOffset });
}

function submitter(session: ScenarioSession, plan: TransferPlan): Submitter {
  return new Submitter(session.device, plan.queueFamilyIndex);
}

/**
 * The host writes all of the memory and flushes it, writes a range that starts and ends inside atoms and
 * flushes that range's atoms; the device copies the range to a place that also starts and ends inside atoms;
 * after an invalidate of the destination's atoms the host reads the copy, with the device's bytes around it.
 */
function copyWithinMemory(session: ScenarioSession, type: HostVisibleType, plan: TransferPlan): void {
  const { device } = session;
  const atom = Number(session.target.atomSize);
  const target = transferMemory(session, type);
  const { buffer, model } = target;
  const size = Number(buffer.size);
  const atoms = Math.floor(size / atom);
  withContext('the host writes everything and flushes it', () => {
    hostWrite(target, 0, pattern(101, size));
    flushRange(session, target, 0, size);
  });
  const srcStart = inside(atom, 1, 1);
  const srcEnd = inside(atom, 3, 3);
  const dstStart = inside(atom, Math.floor(atoms / 2), 2);
  const length = srcEnd - srcStart;
  withContext(`the host writes [${srcStart}, ${srcEnd}) and flushes its atoms`, () => {
    hostWrite(target, srcStart, pattern(102, length));
    flushRange(session, target, srcStart, length);
  });
  withContext(`the device copies [${srcStart}, ${srcEnd}) to ${dstStart}; the host invalidates and reads`, () => {
    submitter(session, plan).run((commandBuffer) => {
      device.cmdCopyBuffer(commandBuffer, buffer, buffer, [{ srcOffset: srcStart, dstOffset: dstStart, size: length }]);
      device.cmdPipelineBarrier(
        commandBuffer,
        toHostBarrier(VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, [buffer]),
      );
    });
    model.deviceWrite(dstStart, deviceBytesOf(model, srcStart, length));
    invalidateRange(session, target, dstStart, length);
    checkHostBytes(session, target, 'host bytes after the copy and an invalidate of its atoms');
  });
  release(session, target);
}

/** A memory type for the device's side of a round trip: DEVICE_LOCAL and not HOST_VISIBLE where one may hold transfer buffers. */
function deviceOnlyType(session: ScenarioSession, plan: TransferPlan, fallback: HostVisibleType): number {
  const types = session.target.physicalDevice.getMemoryProperties().memoryTypes;
  const index = types.findIndex(
    (type, i) =>
      (plan.memoryTypeBits >>> i) & 1 &&
      (type.propertyFlags & (VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT | VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)) ===
        VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT,
  );
  return index < 0 ? fallback.index : index;
}

/**
 * The host writes the first half of the memory and flushes it; in one submission the device copies it into
 * memory of its own (DEVICE_LOCAL where there is such a type), then, after a transfer-to-transfer barrier,
 * back into the second half at an offset inside an atom; the host invalidates and reads its bytes there.
 */
function roundTripThroughDeviceMemory(session: ScenarioSession, type: HostVisibleType, plan: TransferPlan): void {
  const { device } = session;
  const atom = Number(session.target.atomSize);
  const target = transferMemory(session, type);
  const { buffer, model } = target;
  const half = Math.floor(Number(buffer.size) / 2);
  const length = half - atom;
  const back = half + inside(atom, 0, 2);
  const deviceBuffer = device.createBuffer({ size: half, usage: TRANSFER_USAGE });
  let deviceMemory: DeviceMemory | undefined;
  try {
    const requirements = device.getBufferMemoryRequirements(deviceBuffer);
    const memoryTypeIndex = deviceOnlyType(session, plan, type);
    deviceMemory = device.allocateMemory({ allocationSize: requirements.size, memoryTypeIndex });
    device.bindBufferMemory(deviceBuffer, deviceMemory, 0);
    hostWrite(target, 0, pattern(103, half));
    flushRange(session, target, 0, half);
    submitter(session, plan).run((commandBuffer) => {
      device.cmdCopyBuffer(commandBuffer, buffer, deviceBuffer, [{ srcOffset: 0, dstOffset: 0, size: length }]);
      device.cmdPipelineBarrier(commandBuffer, {
        srcStageMask: VK_PIPELINE_STAGE_TRANSFER_BIT,
        dstStageMask: VK_PIPELINE_STAGE_TRANSFER_BIT,
        memoryBarriers: [{ srcAccessMask: VK_ACCESS_TRANSFER_WRITE_BIT, dstAccessMask: VK_ACCESS_TRANSFER_READ_BIT }],
      });
      device.cmdCopyBuffer(commandBuffer, deviceBuffer, buffer, [{ srcOffset: 0, dstOffset: back, size: length }]);
      device.cmdPipelineBarrier(
        commandBuffer,
        toHostBarrier(VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, [buffer]),
      );
    });
    model.deviceWrite(back, deviceBytesOf(model, 0, length));
    invalidateRange(session, target, back, length);
    checkHostBytes(session, target, 'host bytes after the round trip and an invalidate of its atoms');
  } finally {
    device.destroyBuffer(deviceBuffer);
    if (deviceMemory) device.freeMemory(deviceMemory);
  }
  release(session, target);
}

/**
 * The buffer is bound at an offset (its alignment) into the memory. The host writes and flushes everything;
 * the device fills a range whose 4-aligned ends lie inside atoms, and the rest of the buffer from a later
 * offset with VK_WHOLE_SIZE; the host invalidates the whole memory and reads both fills and the host's bytes
 * between them.
 */
function fillRanges(session: ScenarioSession, type: HostVisibleType, plan: TransferPlan): void {
  const { device } = session;
  const atom = Number(session.target.atomSize);
  const target = transferMemory(session, type, (alignment) => alignment);
  const { buffer, model, bindOffset } = target;
  const size = Number(buffer.size);
  const memorySize = Number(target.memory.allocationSize);
  const word = (offset: number) => offset - (offset % 4);
  const firstStart = word(inside(atom, 1, 1) + 3);
  const firstEnd = word(inside(atom, 3, 3) + 3);
  const secondStart = word(size - atom - Math.floor(atom / 2));
  hostWrite(target, 0, pattern(104, memorySize));
  flushRange(session, target, 0, memorySize);
  submitter(session, plan).run((commandBuffer) => {
    device.cmdFillBuffer(commandBuffer, buffer, firstStart, firstEnd - firstStart, FILL_WORD);
    device.cmdFillBuffer(commandBuffer, buffer, secondStart, VK_WHOLE_SIZE, FILL_WORD);
    device.cmdPipelineBarrier(
      commandBuffer,
      toHostBarrier(VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, [buffer]),
    );
  });
  const filled = (length: number) => wordsToBytes(new Array<number>(length / 4).fill(FILL_WORD));
  model.deviceWrite(bindOffset + firstStart, filled(firstEnd - firstStart));
  // VK_WHOLE_SIZE fills to the end of the buffer, rounded down to a multiple of 4.
  model.deviceWrite(bindOffset + secondStart, filled(word(size - secondStart)));
  invalidateRange(session, target, 0, memorySize);
  checkHostBytes(session, target, 'host bytes after the fills and an invalidate of the whole memory');
  release(session, target);
}

const PATH = 'device copies and fills of mapped memory (vkCmdCopyBuffer, vkCmdFillBuffer)';

export function transferScenarios(ctx: TargetContext): ScenarioSpec[] {
  const { target } = ctx;
  const plan = target.capabilities.transfer;
  if (target.hostVisibleTypes.length === 0 || !plan) {
    return [
      {
        group: 'transfers',
        path: [PATH],
        title: 'every memory type',
        skipReason: target.hostVisibleTypes.length === 0 ? SKIP.noHostVisibleType : SKIP.noTransferQueue,
        body: () => {},
      },
    ];
  }
  return target.hostVisibleTypes.flatMap((type): ScenarioSpec[] => {
    const skipReason = (plan.memoryTypeBits >>> type.index) & 1 ? undefined : SKIP.notForTransfers;
    const spec = (title: string, body: typeof copyWithinMemory): ScenarioSpec => ({
      group: 'transfers',
      path: [PATH, type.label],
      title,
      skipReason,
      body: (session) => body(session, type, plan),
    });
    return [
      spec(
        'host write, flush of its atoms, device copy inside the memory, invalidate, host read: ranges start and end inside atoms',
        copyWithinMemory,
      ),
      spec(
        'host write, flush, copy to device memory and back in one submission (transfer barrier between), invalidate, host read',
        roundTripThroughDeviceMemory,
      ),
      spec(
        'device fills of a buffer bound at an offset, one ending inside an atom and one with VK_WHOLE_SIZE, reach the host after an invalidate',
        fillRanges,
      ),
    ];
  });
}
