/**
 * The emulated backend runs the cross-backend conformance suite (@vkmap/conformance) on every built-in
 * profile, twice: on the bare emulated devices, and with the validation layer of @vkmap/core stacked on
 * each device in report mode (every scenario is valid usage, so each must end with no report).
 *
 * The emulator has every optional hook (device-side access, fault injection, an inspectable host
 * address space), and it runs compute shaders (@vkmap/spirv executes the SPIR-V, so the compute group runs on
 * every profile), so no scenario is skipped for a missing hook. Skip list, each reason in the test name:
 * - "device has neither Vulkan 1.4 nor VK_KHR_map_memory2": vkMapMemory2 cases on 1.3 profiles without it.
 * - "device has no VK_EXT_memory_budget": the leak check reads heap usage from that extension.
 * - "device has no VK_EXT_map_memory_placed memoryMapPlaced" / "no memoryMapRangePlaced": placed maps.
 */
import { defineConformanceSuite, type ConformanceBackend } from '@vkmap/conformance';
import { createEmulatedInstance, EmulatedDevice, EmulatedPhysicalDevice } from '@vkmap/emulated';

const emulated: ConformanceBackend = {
  name: 'emulated',
  createInstance: () => createEmulatedInstance(),
  deviceLabel: (physicalDevice, index) =>
    physicalDevice instanceof EmulatedPhysicalDevice ? physicalDevice.profile.id : `device ${index}`,
  deviceAccess: (device) =>
    device instanceof EmulatedDevice
      ? {
          read: (memory, offset, size) => device.deviceRead(memory, offset, size),
          write: (memory, offset, bytes) => device.deviceWrite(memory, offset, bytes),
        }
      : undefined,
  faults: (device) => (device instanceof EmulatedDevice ? device.faults : undefined),
  addressSpace: (device) => (device instanceof EmulatedDevice ? device.addressSpace : undefined),
  canDispatch: true, // @vkmap/spirv runs the compute shaders
  // Allocations are backed lazily (exhausting multi-GiB heaps costs nothing) and counted exactly.
  options: { largeAllocations: true, exactHeapUsage: true },
};

defineConformanceSuite(emulated);
defineConformanceSuite({ ...emulated, options: { ...emulated.options, validation: true } });
