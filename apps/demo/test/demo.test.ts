import { describe, expect, it } from 'vitest';
import { builtInProfiles, createEmulatedInstance } from '@vkmap/emulated';
import { describeMemory, describePropertyFlags, hostVisibleTypes, roundTrip } from '../src/demo.js';

describe('demo round trip', () => {
  it.each(builtInProfiles.map((p) => [p.id, p] as const))('verifies every host-visible type of %s', (_, profile) => {
    const pd = createEmulatedInstance({ profiles: [profile] }).enumeratePhysicalDevices()[0]!;
    const device = pd.createEmulatedDevice();
    const types = hostVisibleTypes(pd);
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) expect(roundTrip(device, type, 4096).verified).toBe(true);
    expect(describeMemory(pd)).toHaveLength(
      1 + pd.getMemoryProperties().memoryHeaps.length + pd.getMemoryProperties().memoryTypes.length,
    );
  });

  it('names property flags', () => {
    expect(describePropertyFlags(0xe)).toBe('HOST_VISIBLE|HOST_COHERENT|HOST_CACHED');
    expect(describePropertyFlags(0)).toBe('0');
  });
});
