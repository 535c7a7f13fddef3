/**
 * The native backend runs the cross-backend conformance suite (@vkmap/conformance) on every physical
 * device the Vulkan loader finds (lavapipe in CI), bare and with the validation layer stacked in report
 * mode. Skip list, each reason in the test name and the matrix:
 * - "backend has no device-side access": the native backend has no direct hook into device memory; the
 *   suite reads and writes it as the device sees it through the contract's own transfers (vkCmdCopyBuffer)
 *   where its scenarios support that.
 * - "backend has no fault injection": a real driver cannot be told to fail; those paths run on the emulator.
 * - "backend reports heap usage as an estimate": VK_EXT_memory_budget usage on drivers is not exact per
 *   allocation (lavapipe counts touched pages), so the leak check is left to the emulator.
 * - "a HOST_VISIBLE heap is larger than 256 MiB ...": exhausting a real heap is not cheap.
 * - features the driver lacks (no VK_EXT_map_memory_placed on lavapipe).
 * Without a loadable Vulkan device every scenario is skipped with the loader's reason; with
 * VKMAP_REQUIRE_NATIVE=1, availability.test.ts fails instead.
 * VKMAP_NATIVE_API_VERSION (e.g. "1.3") caps the instance version and leaves VK_KHR_map_memory2 off, so that
 * only the Vulkan 1.0 entry points run: scripts/khronos-crosscheck.sh uses it, as Debian's Khronos layer
 * (1.3.239) does not intercept vkMapMemory2.
 */
import { makeApiVersion } from '@vkmap/core';
import { defineConformanceSuite, type ConformanceBackend } from '@vkmap/conformance';
import { createNativeInstance } from '../src/index.js';

const cap = /^1\.(\d)$/.exec(process.env.VKMAP_NATIVE_API_VERSION ?? '');
const apiVersion = cap ? makeApiVersion(0, 1, Number(cap[1]), 0) : undefined;

const native: ConformanceBackend = {
  name: 'native',
  createInstance: () => createNativeInstance({ apiVersion }),
  excludeExtensions: cap ? ['VK_KHR_map_memory2'] : [],
  canDispatch: true, // the driver runs the compute shaders
};

defineConformanceSuite(native);
defineConformanceSuite({ ...native, options: { validation: true } });
