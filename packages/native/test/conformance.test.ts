/**
 * The native backend runs the cross-backend conformance suite (@vkmap/conformance) on every physical
 * device the Vulkan loader finds (lavapipe in CI), bare and with the validation layer stacked in report
 * mode. Skip list, each reason in the test name and the matrix:
 * - "backend has no device-side access": checking flush/invalidate visibility needs a transfer path
 *   (vkCmdCopyBuffer) that the addon does not have yet.
 * - "backend has no fault injection": a real driver cannot be told to fail; those paths run on the emulator.
 * - "backend reports heap usage as an estimate": VK_EXT_memory_budget usage on drivers is not exact per
 *   allocation (lavapipe counts touched pages), so the leak check is left to the emulator.
 * - "a HOST_VISIBLE heap is larger than 256 MiB ...": exhausting a real heap is not cheap.
 * - features the driver lacks (no VK_EXT_map_memory_placed on lavapipe).
 * Without a loadable Vulkan device every scenario is skipped with the loader's reason; with
 * VKMAP_REQUIRE_NATIVE=1, availability.test.ts fails instead.
 */
import { defineConformanceSuite, type ConformanceBackend } from '@vkmap/conformance';
import { createNativeInstance } from '../src/index.js';

const native: ConformanceBackend = {
  name: 'native',
  createInstance: () => createNativeInstance(),
};

defineConformanceSuite(native);
defineConformanceSuite({ ...native, options: { validation: true } });
