/**
 * Opens the GPU the app runs on: an emulated profile (`@vkmap/emulated`, no driver needed) or a real Vulkan
 * device (`@vkmap/native`), through the same `Device` interface, so everything after this file runs the same
 * calls on either. With validation the device is wrapped in `@vkmap/core`'s validation layer in 'report' mode:
 * host-access hazards (VKMAP-HOST-...) are collected as warnings and the call goes on, so a run with a
 * stale-data switch shows both what the layer says and what the data does; a broken valid-usage rule is a bug
 * of the app and stops it.
 */
import {
  ValidationError,
  VkQueueFlagBits,
  formatApiVersion,
  type Device,
  type Instance,
  type PhysicalDevice,
  type Queue,
  type ValidationReport,
} from '@vkmap/core';
import { builtInProfiles, createEmulatedInstance } from '@vkmap/emulated';
import { createNativeInstance, isNativeAvailable } from '@vkmap/native';
import { shaderInterface } from '@vkmap/spirv';
import { AppError, UsageError } from './errors.js';
import { memoryTypes, type MemoryTypeInfo } from './memory.js';

export type BackendName = 'emulated' | 'native';

/** The emulated profile the app runs on unless told otherwise: a phone GPU with non-coherent memory. */
export const DEFAULT_PROFILE = 'qualcomm-adreno-turnip';

export interface GpuOptions {
  readonly backend: BackendName;
  /** Emulated profile id. */
  readonly profile: string;
  /** Native physical device index. */
  readonly deviceIndex: number;
  readonly validate: boolean;
}

/** A host-access hazard the validation layer reported: the call, the identifier, what it saw. */
export interface Hazard {
  readonly command: string;
  readonly vuid: string;
  readonly message: string;
}

export interface DeviceDescription {
  readonly backend: BackendName;
  readonly name: string;
  /** The emulated profile's id, or null on the native backend. */
  readonly profile: string | null;
  /** The native physical device's index, or null on the emulated backend. */
  readonly deviceIndex: number | null;
  readonly apiVersion: string;
  readonly nonCoherentAtomSize: number;
}

export interface Gpu {
  readonly description: DeviceDescription;
  readonly physicalDevice: PhysicalDevice;
  readonly device: Device;
  readonly queue: Queue;
  readonly queueFamilyIndex: number;
  readonly memoryTypes: readonly MemoryTypeInfo[];
  readonly validation: boolean;
  /** The hazards reported since the last call, in order; empties the list. */
  takeHazards(): Hazard[];
  close(): void;
}

/** The emulated profiles, for --list-profiles. */
export function listProfiles(): {
  id: string;
  name: string;
  nonCoherent: boolean;
  deviceOnlyMemory: boolean;
}[] {
  return builtInProfiles.map((profile) => {
    const instance = createEmulatedInstance({ profiles: [profile] });
    try {
      const physicalDevice = instance.enumeratePhysicalDevices()[0]!;
      const types = memoryTypes(physicalDevice);
      return {
        id: profile.id,
        name: physicalDevice.getProperties().deviceName,
        nonCoherent: types.some((t) => t.hostVisible && !t.coherent),
        deviceOnlyMemory: types.some((t) => t.deviceLocal && !t.hostVisible),
      };
    } finally {
      instance.destroy();
    }
  });
}

/** The native devices, for --list-devices: throws AppError where the native backend does not load. */
export function listNativeDevices(): {
  index: number;
  name: string;
  apiVersion: string;
  memoryTypes: MemoryTypeInfo[];
}[] {
  const instance = openNativeInstance();
  try {
    return instance.enumeratePhysicalDevices().map((physicalDevice, index) => {
      const properties = physicalDevice.getProperties();
      return {
        index,
        name: properties.deviceName,
        apiVersion: formatApiVersion(properties.apiVersion),
        memoryTypes: memoryTypes(physicalDevice),
      };
    });
  } finally {
    instance.destroy();
  }
}

function openNativeInstance(): Instance {
  const availability = isNativeAvailable();
  if (!availability.available) {
    throw new AppError(
      `the native backend is unavailable: ${availability.reason ?? 'unknown reason'} (the emulated backend, the default, needs no driver)`,
    );
  }
  return createNativeInstance();
}

function openInstance(options: GpuOptions): { instance: Instance; physicalDevice: PhysicalDevice } {
  if (options.backend === 'emulated') {
    if (!builtInProfiles.some((profile) => profile.id === options.profile)) {
      throw new UsageError(`unknown emulated profile '${options.profile}' (--list-profiles lists them)`);
    }
    const instance = createEmulatedInstance({ profiles: [options.profile] });
    return { instance, physicalDevice: instance.enumeratePhysicalDevices()[0]! };
  }
  const instance = openNativeInstance();
  const devices = instance.enumeratePhysicalDevices();
  const physicalDevice = devices[options.deviceIndex];
  if (!physicalDevice) {
    const names = devices.map((d, i) => `${i}: ${d.getProperties().deviceName}`).join(', ');
    instance.destroy();
    throw new UsageError(
      `--device ${options.deviceIndex}: the Vulkan loader reports ${devices.length} device${devices.length === 1 ? '' : 's'}${names ? ` (${names})` : ''}`,
    );
  }
  return { instance, physicalDevice };
}

export function openGpu(options: GpuOptions): Gpu {
  const { instance, physicalDevice } = openInstance(options);
  try {
    const queueFamilyIndex = physicalDevice
      .getQueueFamilyProperties()
      .findIndex((family) => (family.queueFlags & VkQueueFlagBits.VK_QUEUE_COMPUTE_BIT) !== 0);
    if (queueFamilyIndex < 0) throw new AppError(`${physicalDevice.getProperties().deviceName} has no compute queue`);

    let hazards: Hazard[] = [];
    const onReport = (report: ValidationReport) => {
      if (report.severity === 'error') throw new ValidationError(report.command, report.failures);
      for (const failure of report.failures) {
        hazards.push({ command: report.command, vuid: failure.vuid, message: failure.message });
      }
    };
    const device = physicalDevice.createDevice({
      queueCreateInfos: [{ queueFamilyIndex, queuePriorities: [1] }],
      validation: options.validate
        ? { mode: 'report', onReport, reflectShader: shaderInterface, duplicateLimit: Number.POSITIVE_INFINITY }
        : false,
    });
    const properties = physicalDevice.getProperties();
    return {
      description: {
        backend: options.backend,
        name: properties.deviceName,
        profile: options.backend === 'emulated' ? options.profile : null,
        deviceIndex: options.backend === 'native' ? options.deviceIndex : null,
        apiVersion: formatApiVersion(properties.apiVersion),
        nonCoherentAtomSize: Number(properties.limits.nonCoherentAtomSize),
      },
      physicalDevice,
      device,
      queue: device.getDeviceQueue(queueFamilyIndex, 0),
      queueFamilyIndex,
      memoryTypes: memoryTypes(physicalDevice),
      validation: options.validate,
      takeHazards() {
        const taken = hazards;
        hazards = [];
        return taken;
      },
      close() {
        instance.destroy(); // destroys the device too
      },
    };
  } catch (error) {
    instance.destroy();
    throw error;
  }
}
