#!/usr/bin/env node
// Development script (not part of CI): for every host-visible memory type of device 0 and both view
// lifetimes, which window strategy a mapping gets (alias, placed, driver), what a view shows after unmap and
// after a stale write, whether a re-map hands out the same Uint8Array, whether crypto.randomFill racing
// freeMemory survives, and the time per map + unmap pair of 64 KiB over 10^5 pairs. One JSON line per case.
// In the repository after `pnpm build`; elsewhere (the GPU machine's carried folder) name the package's entry:
//   node scripts/gpu/view-strategies.mjs
//   VKMAP_NATIVE=/path/to/@vkmap/native/dist/index.js node scripts/gpu/view-strategies.mjs
import { randomFill } from 'node:crypto';

const { createNativeInstance } = await import(process.env.VKMAP_NATIVE ?? '../../packages/native/dist/index.js');

const HOST_VISIBLE = 0x2;
const PAIRS = 100_000;
const instance = createNativeInstance();
const physicalDevice = instance.enumeratePhysicalDevices()[0];
const types = physicalDevice
  .getMemoryProperties()
  .memoryTypes.flatMap((type, index) => ((type.propertyFlags & HOST_VISIBLE) !== 0 ? [index] : []));
console.log(`device ${physicalDevice.getProperties().deviceName}`);

for (const views of ['stable', 'detach']) {
  const device = physicalDevice.createDevice({ views });
  for (const memoryTypeIndex of types) {
    const memory = device.allocateMemory({ allocationSize: 65536, memoryTypeIndex });
    const first = device.mapMemory(memory, 4096, 8192).data;
    first.fill(7);
    const strategy = device.viewStrategy(memory);
    device.unmapMemory(memory);
    const afterUnmap = first.byteLength === 0 ? 'detached' : `attached, byte 0 = ${first[0]}`;
    const sameViewOnRemap = device.mapMemory(memory, 4096, 8192).data === first;
    device.unmapMemory(memory);
    if (first.byteLength) first.fill(9); // a stale write
    const view = device.mapMemory(memory, 4096, 8192).data;
    const afterStaleWrite = view[0];
    await new Promise((resolve) => {
      randomFill(view, () => resolve());
      device.freeMemory(memory);
    });

    const timed = device.allocateMemory({ allocationSize: 65536, memoryTypeIndex });
    for (let i = 0; i < PAIRS / 5; i++) {
      device.mapMemory(timed, 0, 65536);
      device.unmapMemory(timed);
    }
    const start = process.hrtime.bigint();
    for (let i = 0; i < PAIRS; i++) {
      device.mapMemory(timed, 0, 65536);
      device.unmapMemory(timed);
    }
    const mapUnmapNs = Math.round(Number(process.hrtime.bigint() - start) / PAIRS);
    device.freeMemory(timed);
    console.log(
      JSON.stringify({ views, memoryTypeIndex, strategy, afterUnmap, sameViewOnRemap, afterStaleWrite, mapUnmapNs }),
    );
  }
  device.destroy();
}
instance.destroy();
