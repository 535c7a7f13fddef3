/** The two ways to map and unmap: vkMapMemory / vkUnmapMemory and vkMapMemory2 / vkUnmapMemory2 (or KHR). */
import type { Device, DeviceMemory, MappedMemory } from '@vkmap/core';
import type { Capabilities } from './device-target.js';

export interface MapEntryPoint {
  /** 'vkMapMemory', 'vkMapMemory2' or 'vkMapMemory2KHR'. */
  readonly name: string;
  map(device: Device, memory: DeviceMemory, offset: bigint, size: bigint): MappedMemory;
  unmap(device: Device, memory: DeviceMemory): void;
}

export const mapMemory1: MapEntryPoint = {
  name: 'vkMapMemory',
  map: (device, memory, offset, size) => device.mapMemory(memory, offset, size),
  unmap: (device, memory) => device.unmapMemory(memory),
};

const mapMemory2Core: MapEntryPoint = {
  name: 'vkMapMemory2',
  map: (device, memory, offset, size) => device.mapMemory2({ memory, offset, size }),
  unmap: (device, memory) => void device.unmapMemory2({ memory }),
};

const mapMemory2Khr: MapEntryPoint = {
  name: 'vkMapMemory2KHR',
  map: (device, memory, offset, size) => device.mapMemory2KHR({ memory, offset, size }),
  unmap: (device, memory) => void device.unmapMemory2KHR({ memory }),
};

/** vkMapMemory2 under the name the device provides, or undefined when it provides neither. */
export function mapMemory2Of(capabilities: Capabilities): MapEntryPoint | undefined {
  if (capabilities.mapMemory2 === 'vkMapMemory2') return mapMemory2Core;
  if (capabilities.mapMemory2 === 'vkMapMemory2KHR') return mapMemory2Khr;
  return undefined;
}

/** The entry points available on a device. */
export function entryPointsOf(capabilities: Capabilities): MapEntryPoint[] {
  const second = mapMemory2Of(capabilities);
  return second ? [mapMemory1, second] : [mapMemory1];
}
