/**
 * The conformance suite must catch a broken backend, or its green matrix means nothing. Each mutant here
 * wraps the emulated device with one deliberate bug; the scenarios that should notice it must fail.
 */
import { describe, expect, it } from 'vitest';
import { conformanceScenarios, type ConformanceBackend } from '@vkmap/conformance';
import {
  VK_WHOLE_SIZE,
  type Device,
  type DeviceMemory,
  type DeviceSizeInput,
  type Instance,
  type MappedMemory,
  type MappedMemoryRange,
  type PhysicalDevice,
} from '@vkmap/core';
import { createEmulatedInstance, type EmulatedDevice } from '@vkmap/emulated';

type Mutation = (device: EmulatedDevice) => Partial<Device>;

/** The live mapping of each memory object mapped through a mutant's vkMapMemory. */
const mappedOf = new WeakMap<DeviceMemory, MappedMemory>();

const MUTANTS: Record<string, { mutation: Mutation; caughtBy: string[] }> = {
  'flush publishes nothing': {
    mutation: () => ({ flushMappedMemoryRanges: () => {} }),
    caughtBy: ['mapping cases', 'random operations', 'error results'],
  },
  'invalidate does nothing': {
    mutation: () => ({ invalidateMappedMemoryRanges: () => {} }),
    caughtBy: ['flushed bytes reach the device'],
  },
  'flush writes back every byte of its ranges, clean atoms included': {
    mutation: (device) => ({
      flushMappedMemoryRanges: (ranges: readonly MappedMemoryRange[]) => {
        // Reads the host's bytes through a whole-object view of the live mapping and copies them all over.
        for (const { memory, offset, size } of ranges) {
          const mapping = mappedOf.get(memory);
          if (!mapping) continue;
          const start = Number(offset) - Number(mapping.offset);
          const end = size === VK_WHOLE_SIZE ? mapping.data.length : start + Number(size);
          device.deviceWrite(memory, offset, mapping.data.slice(start, end));
        }
      },
      mapMemory: (memory: DeviceMemory, offset: DeviceSizeInput, size: DeviceSizeInput) => {
        const mapping = device.mapMemory(memory, offset, size);
        mappedOf.set(memory, mapping);
        return mapping;
      },
    }),
    caughtBy: ['flush writes back only atoms the host wrote'],
  },
  'map hands out a copy instead of the memory': {
    mutation: (device) => ({
      mapMemory: (memory: DeviceMemory, offset: DeviceSizeInput, size: DeviceSizeInput) => {
        const mapping = device.mapMemory(memory, offset, size);
        const copy = mapping.data.slice();
        return Object.create(mapping, { data: { get: () => copy } }) as MappedMemory;
      },
    }),
    caughtBy: ['remap without flush', 'random operations'],
  },
};

/** The emulator on the stress profile (non-coherent types, small atoms of 256), with one mutation. */
function mutantBackend(mutation: Mutation): { backend: ConformanceBackend; physicalDevice: PhysicalDevice } {
  const bare = new WeakMap<object, EmulatedDevice>();
  const emulated = createEmulatedInstance({ profiles: ['stress'] }).enumeratePhysicalDevices()[0]!;
  const physicalDevice = new Proxy(emulated, {
    get(target, key) {
      if (key === 'createDevice') {
        return (info: Parameters<PhysicalDevice['createDevice']>[0]) => {
          const device = target.createEmulatedDevice(info);
          const overrides = mutation(device);
          const mutant = new Proxy(device, {
            get: (inner, name) =>
              name in overrides ? overrides[name as keyof Device] : Reflect.get(inner, name, inner),
          }) as unknown as Device;
          bare.set(mutant, device);
          return mutant;
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as PhysicalDevice;
  const backend: ConformanceBackend = {
    name: 'mutant',
    createInstance: () => ({ enumeratePhysicalDevices: () => [physicalDevice] }) as unknown as Instance,
    deviceAccess: (device) => {
      const inner = bare.get(device);
      return inner && { read: (m, o, s) => inner.deviceRead(m, o, s), write: (m, o, b) => inner.deviceWrite(m, o, b) };
    },
    faults: (device) => bare.get(device)?.faults,
    options: { randomOps: 400, seeds: [1], exactHeapUsage: true },
  };
  return { backend, physicalDevice };
}

// Each test runs hundreds of scenarios: seconds of work, more on a loaded machine.
describe('the conformance suite catches a broken backend', { timeout: 120_000 }, () => {
  it.each(Object.entries(MUTANTS))('%s', (_, { mutation, caughtBy }) => {
    const { backend, physicalDevice } = mutantBackend(mutation);
    const failed = conformanceScenarios(backend, physicalDevice)
      .filter(
        (scenario) =>
          scenario.skipReason === undefined &&
          /vkMapMemory:|random|error|detach|only atoms the host wrote/.test(scenario.name),
      )
      .filter((scenario) => {
        try {
          scenario.run();
          return false;
        } catch {
          return true;
        }
      })
      .map((scenario) => scenario.name);
    for (const expected of caughtBy)
      expect(
        failed.some((name) => name.includes(expected)),
        `${expected} in ${failed.join('\n')}`,
      ).toBe(true);
  });

  it('while the same backend without a mutation passes every scenario', () => {
    const { backend, physicalDevice } = mutantBackend(() => ({}));
    // The misuse group makes instances and layered devices of its own, which this device-level double does not.
    for (const scenario of conformanceScenarios(backend, physicalDevice))
      if (scenario.skipReason === undefined && scenario.group !== 'misuse') scenario.run();
  });
});
