/** Opens the native device a vkmap side measures, with the options of that side (validation, view lifetime). */
import { formatApiVersion, type Device, type PhysicalDevice } from '@vkmap/core';
import { createNativeInstance, isNativeAvailable, type NativeInstance } from '@vkmap/native';
import type { DeviceInfo } from '../protocol.js';

/** createDevice's `views` option (core's ViewLifetime), spelled here so the bench builds against older cores too. */
export type ViewLifetime = 'stable' | 'detach';

export interface DeviceOptions {
  readonly deviceIndex: number;
  readonly validation?: boolean;
  /** Omitted: the device's default (VKMAP_VIEWS, else 'stable'). */
  readonly views?: ViewLifetime;
}

export interface OpenDevice {
  readonly instance: NativeInstance;
  readonly physicalDevice: PhysicalDevice;
  readonly device: Device;
  readonly info: DeviceInfo;
  close(): void;
}

export function openDevice(options: DeviceOptions): OpenDevice {
  const availability = isNativeAvailable();
  if (!availability.available) throw new Error(`@vkmap/native is unavailable: ${availability.reason}`);
  const instance = createNativeInstance();
  const physicalDevices = instance.enumeratePhysicalDevices();
  const physicalDevice = physicalDevices[options.deviceIndex];
  if (!physicalDevice) {
    instance.destroy();
    throw new Error(`no physical device ${options.deviceIndex} (the loader finds ${physicalDevices.length})`);
  }
  const device = physicalDevice.createDevice({
    validation: options.validation ?? false,
    ...(options.views && { views: options.views }),
  } as Parameters<PhysicalDevice['createDevice']>[0]);
  const properties = physicalDevice.getProperties();
  const info: DeviceInfo = {
    device: properties.deviceName,
    apiVersion: formatApiVersion(properties.apiVersion),
    map2: device.hasCommand('vkMapMemory2'),
    memoryTypes: physicalDevice
      .getMemoryProperties()
      .memoryTypes.map((type, index) => ({ index, propertyFlags: type.propertyFlags })),
  };
  return {
    instance,
    physicalDevice,
    device,
    info,
    close() {
      device.destroy();
      instance.destroy();
    },
  };
}
