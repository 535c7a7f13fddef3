#!/usr/bin/env node
// Smoke test of the native addon on a real driver, with plain Node and nothing else: no vitest and no
// TypeScript build; only @vkmap/core (a peer dependency) to decode VkPhysicalDeviceLimits. Prints the devices and their memory types, then on every
// HOST_VISIBLE type: allocate, map, write, flush, unmap, map again, invalidate, verify, free.
// Exits 1 on the first failure. Usage: node packages/native/scripts/smoke.mjs
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function findAddon() {
  const candidates = [join(root, 'build', 'Release', 'vkmap_native.node')];
  const prebuilds = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  if (existsSync(prebuilds)) {
    for (const name of readdirSync(prebuilds)) if (name.endsWith('.node')) candidates.push(join(prebuilds, name));
  }
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`no built addon: looked for ${candidates.join(', ')}; run the build:addon script`);
  return found;
}

const WHOLE = 0xffff_ffff_ffff_ffffn;
const HOST_VISIBLE = 0x2;
const flagNames = ['DEVICE_LOCAL', 'HOST_VISIBLE', 'HOST_COHERENT', 'HOST_CACHED', 'LAZILY_ALLOCATED', 'PROTECTED'];
const version = (v) => `${(v >>> 22) & 0x7f}.${(v >>> 12) & 0x3ff}.${v & 0xfff}`;
const flags = (f) => flagNames.filter((_, bit) => f & (1 << bit)).join('|') || '{}';

let failures = 0;
function check(condition, what) {
  if (!condition) {
    failures++;
    console.error(`  FAIL ${what}`);
  }
  return condition;
}

const { decodePhysicalDeviceLimits } = await import('@vkmap/core');
const binding = require(findAddon());
const loader = binding.loaderInfo();
console.log(
  `loader: ${loader.loaded ? loader.library : `missing (${loader.error})`}, instance version ${version(loader.instanceVersion)}`,
);
if (!loader.loaded) process.exit(1);

const apiVersion = ((1 << 22) | (4 << 12)) >>> 0;
const instance = binding.createInstance(apiVersion);
const devices = binding.enumeratePhysicalDevices(instance.id);
console.log(`instance apiVersion ${version(instance.apiVersion)}, ${devices.length} physical device(s)`);
if (devices.length === 0) failures++;

devices.forEach((description, index) => {
  const p = description.properties;
  const limits = decodePhysicalDeviceLimits(
    new Uint8Array(p.limitsBytes),
    p.pointerSize,
    endianness() === 'LE',
    p.maxMemoryAllocationSize,
  );
  const names = new Set(description.extensions.map((e) => e.extensionName));
  console.log(
    `\n[${index}] ${p.deviceName}: Vulkan ${version(p.apiVersion)}, vendor 0x${p.vendorID.toString(16)}, device 0x${p.deviceID.toString(16)}, type ${p.deviceType}`,
  );
  console.log(
    `    minMemoryMapAlignment ${limits.minMemoryMapAlignment}, nonCoherentAtomSize ${limits.nonCoherentAtomSize}, maxMemoryAllocationSize ${limits.maxMemoryAllocationSize}, maxMemoryAllocationCount ${limits.maxMemoryAllocationCount}`,
  );
  console.log(
    `    extensions: ${description.extensions.length}; ${['VK_KHR_map_memory2', 'VK_EXT_map_memory_placed', 'VK_EXT_memory_budget', 'VK_EXT_external_memory_host'].map((n) => `${n} ${names.has(n) ? 'yes' : 'no'}`).join(', ')}`,
  );
  console.log(
    `    placed features: ${JSON.stringify(description.placedFeatures)}${description.minPlacedMemoryMapAlignment ? `, minPlacedMemoryMapAlignment ${description.minPlacedMemoryMapAlignment}` : ''}`,
  );
  description.memoryProperties.memoryHeaps.forEach((h, i) =>
    console.log(`    heap ${i}: ${h.size / 1048576n} MiB flags ${h.flags}`),
  );
  description.memoryProperties.memoryTypes.forEach((t, i) =>
    console.log(`    type ${i}: ${flags(t.propertyFlags)} heap ${t.heapIndex}`),
  );
  const budget = binding.getMemoryBudget(instance.id, index);
  if (budget)
    console.log(
      `    budget: ${budget.heapBudget.map((b, i) => `heap ${i} ${budget.heapUsage[i] / 1048576n}/${b / 1048576n} MiB`).join(', ')}`,
    );

  const extensions = names.has('VK_KHR_map_memory2') ? ['VK_KHR_map_memory2'] : [];
  const deviceApi = Math.min(apiVersion, p.apiVersion);
  const device = binding.createDevice(instance.id, index, deviceApi, extensions, undefined);
  console.log(`    device: apiVersion ${version(deviceApi)}, driver commands ${JSON.stringify(device.driverCommands)}`);
  const atom = limits.nonCoherentAtomSize;
  const size = 1n << 20n;
  description.memoryProperties.memoryTypes.forEach((t, typeIndex) => {
    if (!(t.propertyFlags & HOST_VISIBLE)) return;
    const label = `type ${typeIndex} (${flags(t.propertyFlags)})`;
    try {
      const memory = binding.allocateMemory(device.id, size, typeIndex, undefined);
      const first = binding.mapMemory(device.id, memory, 0n, WHOLE, 'vkMapMemory', 0);
      check(first.address % BigInt(limits.minMemoryMapAlignment) === 0n, `${label}: map address aligned`);
      const view = new Uint8Array(first.buffer);
      check(view.length === Number(size), `${label}: view covers the mapping`);
      for (let i = 0; i < view.length; i += 4093) view[i] = (i * 31 + typeIndex) & 0xff;
      binding.mappedMemoryRanges(device.id, [[memory, 0n, WHOLE]], false);
      binding.unmapMemory(device.id, memory, 'vkUnmapMemory', 0);
      check(view.length === 0, `${label}: view detached at unmap`);
      const useMap2 = device.driverCommands.vkMapMemory2 && deviceApi >= apiVersion;
      const offset = atom * 4n;
      const second = binding.mapMemory(device.id, memory, offset, WHOLE, useMap2 ? 'vkMapMemory2' : 'vkMapMemory', 0);
      binding.mappedMemoryRanges(device.id, [[memory, offset, WHOLE]], true);
      const again = new Uint8Array(second.buffer);
      let bad = 0;
      for (let i = 0; i < Number(size); i += 4093) {
        if (i < Number(offset)) continue;
        if (again[i - Number(offset)] !== ((i * 31 + typeIndex) & 0xff)) bad++;
      }
      check(bad === 0, `${label}: ${bad} byte(s) differ after remap`);
      binding.unmapMemory(device.id, memory, useMap2 ? 'vkUnmapMemory2' : 'vkUnmapMemory', 0);
      binding.freeMemory(device.id, memory);
      console.log(
        `    ${label}: allocate/map/write/flush/unmap/${useMap2 ? 'vkMapMemory2' : 'vkMapMemory'}/invalidate/verify ${bad === 0 ? 'ok' : 'FAILED'}`,
      );
    } catch (error) {
      check(false, `${label}: ${error.message}`);
    }
  });
  binding.destroyDevice(device.id);
  if (description.placedFeatures.memoryMapPlaced) placedSmoke(index, description, deviceApi);
});

// VK_EXT_map_memory_placed: a placed map into a reserved range, then unmap (with the reserve bit when
// supported) and release.
function placedSmoke(index, description, deviceApi) {
  const features = description.placedFeatures;
  const extensions =
    deviceApi >= apiVersion ? ['VK_EXT_map_memory_placed'] : ['VK_EXT_map_memory_placed', 'VK_KHR_map_memory2'];
  const placedFeatures = {
    memoryMapPlaced: true,
    memoryMapRangePlaced: false,
    memoryUnmapReserve: features.memoryUnmapReserve,
  };
  const device = binding.createDevice(instance.id, index, deviceApi, extensions, placedFeatures);
  const [command, unmapCommand] =
    deviceApi >= apiVersion ? ['vkMapMemory2', 'vkUnmapMemory2'] : ['vkMapMemory2KHR', 'vkUnmapMemory2KHR'];
  const typeIndex = description.memoryProperties.memoryTypes.findIndex((t) => t.propertyFlags & HOST_VISIBLE);
  const alignment = description.minPlacedMemoryMapAlignment ?? 4096n;
  const size = alignment > 65536n ? alignment : 65536n;
  try {
    const memory = binding.allocateMemory(device.id, size, typeIndex, undefined);
    const range = binding.reserveAddressRange(size, alignment);
    const placed = binding.mapMemory(device.id, memory, 0n, WHOLE, command, 1, range.address);
    check(placed.address === range.address, 'placed map lands at the requested address');
    new Uint8Array(placed.buffer)[0] = 0xa5;
    const back = binding.unmapMemory(device.id, memory, unmapCommand, features.memoryUnmapReserve ? 1 : 0);
    if (features.memoryUnmapReserve)
      check(back && back.id === range.id, 'unmap with the reserve bit returns the range');
    binding.releaseAddressRange(range.id);
    const check2 = binding.mapMemory(device.id, memory, 0n, 1n, 'vkMapMemory', 0);
    check(new Uint8Array(check2.buffer)[0] === 0xa5, 'placed write visible through a normal map');
    binding.unmapMemory(device.id, memory, 'vkUnmapMemory', 0);
    binding.freeMemory(device.id, memory);
    console.log(
      `    placed map at ${placed.address === range.address ? 'the requested address' : 'a WRONG address'}, unmap${features.memoryUnmapReserve ? ' with reserve bit' : ''}, release: ok`,
    );
  } catch (error) {
    check(false, `placed map: ${error.message}`);
  }
  binding.destroyDevice(device.id);
}
binding.destroyInstance(instance.id);
console.log(failures === 0 ? '\nsmoke: all checks passed' : `\nsmoke: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
