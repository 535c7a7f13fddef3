/** The validation layer's compute suite (@vkmap/core test/validation/compute/suite.ts) on the first native device. */
import { createNativeInstance, isNativeAvailable } from '../src/index.js';

const availability = isNativeAvailable();
// A path outside this package's rootDir: imported by URL so that tsc does not pull core's tests into this program.
const { defineComputeValidationSuite } = (await import(
  new URL('../../core/test/validation/compute/suite.ts', import.meta.url).href
)) as { defineComputeValidationSuite: (target: { name: string; physicalDevice: () => unknown }) => void };

defineComputeValidationSuite({
  name: 'native',
  physicalDevice: () =>
    availability.available
      ? createNativeInstance().enumeratePhysicalDevices()[0]!
      : (availability.reason ?? 'native backend unavailable'),
});
