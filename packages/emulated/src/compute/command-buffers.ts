/**
 * Command pools and command buffers. The front records the vkCmd* calls as plain data and hands them over at
 * vkEndCommandBuffer; a command buffer keeps that list until it is reset, re-recorded or freed.
 */
import type { EmulatedCommand, EmulatedCommandBuffer, EmulatedCommandPool } from './records.js';

export function createCommandPool(request: {
  readonly flags: number;
  readonly queueFamilyIndex: number;
}): EmulatedCommandPool {
  return { flags: request.flags, queueFamilyIndex: request.queueFamilyIndex, commandBuffers: new Set() };
}

/** vkDestroyCommandPool: frees its command buffers. */
export function destroyCommandPool(pool: EmulatedCommandPool): void {
  freeCommandBuffers(pool, [...pool.commandBuffers]);
}

/** vkResetCommandPool: every command buffer of the pool back to the initial state. */
export function resetCommandPool(pool: EmulatedCommandPool): void {
  for (const commandBuffer of pool.commandBuffers) resetCommandBuffer(commandBuffer);
}

export function allocateCommandBuffers(pool: EmulatedCommandPool, count: number): EmulatedCommandBuffer[] {
  return Array.from({ length: count }, () => {
    const commandBuffer: EmulatedCommandBuffer = { pool, state: 'initial', usageFlags: 0, commands: [] };
    pool.commandBuffers.add(commandBuffer);
    return commandBuffer;
  });
}

export function freeCommandBuffers(pool: EmulatedCommandPool, commandBuffers: readonly EmulatedCommandBuffer[]): void {
  for (const commandBuffer of commandBuffers) {
    pool.commandBuffers.delete(commandBuffer);
    commandBuffer.state = 'invalid';
    commandBuffer.commands = [];
  }
}

/** vkBeginCommandBuffer, the vkCmd* calls and vkEndCommandBuffer in one step; replaces the earlier recording. */
export function recordCommandBuffer(
  commandBuffer: EmulatedCommandBuffer,
  usageFlags: number,
  commands: readonly EmulatedCommand[],
): void {
  commandBuffer.commands = Object.freeze([...commands]);
  commandBuffer.usageFlags = usageFlags;
  commandBuffer.state = 'executable';
}

export function resetCommandBuffer(commandBuffer: EmulatedCommandBuffer): void {
  commandBuffer.commands = [];
  commandBuffer.usageFlags = 0;
  commandBuffer.state = 'initial';
}
