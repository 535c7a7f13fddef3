import { createEmulatedInstance } from '@vkmap/emulated';
import { describeMemory, hostVisibleTypes, roundTrip } from './demo.js';

const profile = process.argv[2] ?? 'qualcomm-adreno-turnip';
const instance = createEmulatedInstance({ profiles: [profile] });
const physicalDevice = instance.enumeratePhysicalDevices()[0]!;
const device = physicalDevice.createDevice({ validation: true });

console.log(`vkmap demo on the emulated backend, profile '${profile}'`);
for (const line of describeMemory(physicalDevice)) console.log(line);

let failures = 0;
for (const typeIndex of hostVisibleTypes(physicalDevice)) {
  const result = roundTrip(device, typeIndex);
  const kind = result.coherent ? 'coherent' : 'non-coherent (flushed and invalidated)';
  console.log(
    `type ${typeIndex}: allocate, map at 0x${result.address.toString(16)}, write 64 KiB, flush, unmap, map again: ${result.verified ? 'verified' : 'MISMATCH'} [${kind}]`,
  );
  if (!result.verified) failures += 1;
}
device.destroy();
instance.destroy();
if (failures > 0) {
  console.error(`${failures} memory type(s) failed the round trip`);
  process.exit(1);
}
console.log('all host-visible memory types verified');
