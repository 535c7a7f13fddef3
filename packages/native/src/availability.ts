/** Whether the native backend can run here, and if not, why. */
import { VkError } from '@vkmap/core';
import { createNativeInstance } from './instance.js';

export interface NativeAvailability {
  readonly available: boolean;
  /** Why not, with what to install or build; absent when available. */
  readonly reason?: string;
}

/**
 * Loads the addon and the Vulkan loader, creates an instance and looks for a physical device. Never
 * throws; the answer is computed once per process.
 */
export function isNativeAvailable(): NativeAvailability {
  if (cached) return cached;
  try {
    const instance = createNativeInstance();
    try {
      if (instance.enumeratePhysicalDevices().length === 0) {
        cached = {
          available: false,
          reason:
            'the Vulkan loader found no physical device; install a driver (Debian/Ubuntu: mesa-vulkan-drivers, ' +
            'whose lavapipe runs on any CPU) or check VK_DRIVER_FILES / VK_ICD_FILENAMES',
        };
      } else {
        cached = { available: true };
      }
    } finally {
      instance.destroy();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    cached = { available: false, reason: error instanceof VkError ? `vkCreateInstance failed: ${message}` : message };
  }
  return cached;
}

let cached: NativeAvailability | undefined;
