/**
 * The compute validation suite on the emulated backend: qualcomm-adreno-turnip (a HOST_COHERENT and a
 * non-coherent HOST_VISIBLE type), nvidia-h100 (five queue families, coherent memory only) and
 * apple-m1-moltenvk (a lazily allocated type no buffer can use), each with its SPIR-V executor. The native
 * backend runs the same suite from its own tests.
 */
import { describe, expect, it } from 'vitest';
import { createEmulatedInstance } from '@vkmap/emulated';
import { Fixture } from './fixture.js';
import { defineComputeValidationSuite } from './suite.js';

for (const profile of ['qualcomm-adreno-turnip', 'nvidia-h100', 'apple-m1-moltenvk']) {
  defineComputeValidationSuite({
    name: `emulated ${profile}`,
    physicalDevice: () => createEmulatedInstance({ profiles: [profile] }).enumeratePhysicalDevices()[0]!,
  });
}

describe('what the layer reports as a warning, the emulated queue shows as stale data', () => {
  it("reading before the wait: 'report' mode warns VKMAP-HOST-read-before-wait, and the bytes are the old ones until the wait", () => {
    const f = new Fixture(
      {
        name: 'emulated lavapipe',
        physicalDevice: () => createEmulatedInstance({ profiles: ['lavapipe'] }).enumeratePhysicalDevices()[0]!,
      },
      'report',
    );
    const source = f.hostBuffer(256);
    const target = f.hostBuffer(256);
    source.mapping.data.fill(7);
    const commandBuffer = f.recorded((cb) => {
      f.device.cmdCopyBuffer(cb, source.buffer, target.buffer, [{ srcOffset: 0, dstOffset: 0, size: 256 }]);
      f.toHost(cb);
    });
    const fence = f.fence();
    f.submit([commandBuffer], fence);
    expect(target.mapping.data[0]).toBe(0);
    expect(f.reports.map((r) => [r.command, r.severity, r.failures.map((x) => x.vuid)])).toEqual([
      ['MappedMemory.data', 'warning', ['VKMAP-HOST-read-before-wait']],
    ]);
    f.wait(fence);
    expect(target.mapping.data[0]).toBe(7);
    expect(f.reports).toHaveLength(1);
    f.device.destroy();
  });
});
