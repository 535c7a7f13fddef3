/**
 * The validation layer's cost on a map/unmap pair, side by side in one run:
 * - over the emulated backend: a bare emulated device against the same device wrapped;
 * - over a stub device whose map and unmap do nothing, so the layer's own cost stands alone;
 * - over the native backend on the first Vulkan device (lavapipe here), where one is available.
 * Run with `pnpm --filter @vkmap/core bench`, which prints ns/op and the ratios.
 */
import { bench, describe } from 'vitest';
import { VK_WHOLE_SIZE, withValidation, type Device, type DeviceMemory, type MappedMemory } from '@vkmap/core';
import { createEmulatedInstance, getBuiltInProfile } from '@vkmap/emulated';
import { createNativeInstance, isNativeAvailable } from '@vkmap/native';

const OPTIONS = { time: 1500, warmupTime: 300 };

function emulatedDevice(): Device {
  const profile = { ...getBuiltInProfile('stress'), id: 'stress-bench', apiVersion: (1 << 22) | (4 << 12) };
  return createEmulatedInstance({ profiles: [profile] }).enumeratePhysicalDevices()[0]!.createDevice();
}

function mapUnmap(device: Device, memory: DeviceMemory): void {
  device.mapMemory(memory, 0, VK_WHOLE_SIZE);
  device.unmapMemory(memory);
}

/** A device whose map and unmap return at once: what remains of a wrapped call is the layer. */
function stubDevice(template: Device): Device {
  const mapping = { offset: 0n, size: 4096n, address: 0x1000_0000n, isCoherent: true, isPlaced: false, isMapped: true } as MappedMemory;
  return Object.assign(Object.create(template) as Device, {
    mapMemory: () => mapping,
    unmapMemory: () => undefined,
  });
}

describe('map + unmap of 4 KiB, emulated backend', () => {
  const bare = emulatedDevice();
  const bareMemory = bare.allocateMemory({ allocationSize: 4096, memoryTypeIndex: 1 });
  const validated = withValidation(emulatedDevice());
  const validatedMemory = validated.allocateMemory({ allocationSize: 4096, memoryTypeIndex: 1 });
  bench('emulated: bare', () => mapUnmap(bare, bareMemory), OPTIONS);
  bench('emulated: validated', () => mapUnmap(validated, validatedMemory), OPTIONS);
});

describe('map + unmap of 4 KiB, stub backend (the layer alone)', () => {
  const template = emulatedDevice();
  const memory = template.allocateMemory({ allocationSize: 4096, memoryTypeIndex: 1 });
  const bare = stubDevice(template);
  const inner = stubDevice(template);
  const validated = withValidation(inner);
  // Let the layer know the memory object, as if it had allocated it.
  const known = validated.allocateMemory({ allocationSize: 4096, memoryTypeIndex: 1 });
  bench('stub: bare', () => mapUnmap(bare, memory), OPTIONS);
  bench('stub: validated', () => mapUnmap(validated, known), OPTIONS);
});

const native = isNativeAvailable();
describe.skipIf(!native.available)(`map + unmap of 4 KiB, native backend${native.available ? '' : ` (skipped: ${native.reason})`}`, () => {
  const open = () => {
    const physicalDevice = createNativeInstance().enumeratePhysicalDevices()[0]!;
    const type = physicalDevice.getMemoryProperties().memoryTypes.findIndex((t) => (t.propertyFlags & 0x6) === 0x6);
    return { device: physicalDevice.createDevice(), type };
  };
  const bare = open();
  const bareMemory = bare.device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: bare.type });
  const wrapped = open();
  const validated = withValidation(wrapped.device);
  const validatedMemory = validated.allocateMemory({ allocationSize: 4096, memoryTypeIndex: wrapped.type });
  bench('native: bare', () => mapUnmap(bare.device, bareMemory), OPTIONS);
  bench('native: validated', () => mapUnmap(validated, validatedMemory), OPTIONS);
});
