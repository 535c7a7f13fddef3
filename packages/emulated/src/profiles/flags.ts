import { VkMemoryHeapFlagBits, VkMemoryPropertyFlagBits, VkQueueFlagBits, makeApiVersion } from '@vkmap/core';

/** Short names for the property and heap bits, so the profile tables read like vulkaninfo output. */
export const DL = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
export const HV = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
export const HC = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
export const HCACHED = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
export const LAZY = VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT;
export const HEAP_DEVICE_LOCAL = VkMemoryHeapFlagBits.VK_MEMORY_HEAP_DEVICE_LOCAL_BIT;
export const HEAP_HOST = 0;

/** 128 TiB: the user half of a 48-bit x86-64 / arm64 address space. */
export const DESKTOP_HOST_ADDRESS_SPACE = 2n ** 47n;
export const UINT32_MAX = 0xffff_ffff;

/** NVIDIA packs its driver version as major.minor.patch in 10.8.8 bits (above 6 low bits). */
export function nvidiaDriverVersion(major: number, minor: number, patch: number): number {
  return major * 2 ** 22 + minor * 2 ** 14 + patch * 2 ** 6;
}

/** Mesa drivers report VK_MAKE_VERSION(major, minor, patch) of the Mesa release. */
export function mesaDriverVersion(major: number, minor: number, patch: number): number {
  return makeApiVersion(0, major, minor, patch);
}

/** VkQueueFlagBits, short, for the profiles' queue families; the last four are not in @vkmap/core's table. */
export const Q_GRAPHICS = VkQueueFlagBits.VK_QUEUE_GRAPHICS_BIT;
export const Q_COMPUTE = VkQueueFlagBits.VK_QUEUE_COMPUTE_BIT;
export const Q_TRANSFER = VkQueueFlagBits.VK_QUEUE_TRANSFER_BIT;
export const Q_SPARSE = VkQueueFlagBits.VK_QUEUE_SPARSE_BINDING_BIT;
export const Q_PROTECTED = 0x10;
export const Q_VIDEO_DECODE = 0x20;
export const Q_VIDEO_ENCODE = 0x40;
export const Q_OPTICAL_FLOW_NV = 0x100;
