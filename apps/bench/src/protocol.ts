/**
 * The line protocol between the runner and a side's process (the vkmap worker, the C baseline): one request per
 * line on stdin, words separated by spaces, one JSON answer per line on stdout. The same requests mean the same
 * loop on every side:
 *
 *   info
 *   map <type> <size> <iterations>          map + unmap of a <size>-byte allocation (vkMapMemory / vkUnmapMemory)
 *   map2 <type> <size> <iterations>         the same through vkMapMemory2 / vkUnmapMemory2
 *   alloc <type> <size> <iterations>        allocate + free
 *   write <type> <bytes> <iterations> <how> writes of a whole persistent mapping: set|fill|f32 (JavaScript),
 *                                           memcpy|memset|floats (C)
 *   allocator <size> <iterations>           @vkmap/allocator allocateMemory + freeMemory (vkmap only)
 *   compute <elements> <iterations>         upload -> dispatch -> readback of a small buffer (vkmap only)
 *   quit
 */
export interface Answer {
  readonly nsPerOp?: number;
  readonly error?: string;
}

export interface DeviceInfo {
  readonly device: string;
  readonly apiVersion: string;
  readonly map2: boolean;
  readonly memoryTypes: readonly { readonly index: number; readonly propertyFlags: number }[];
}

export const HOST_VISIBLE = 0x2;
export const HOST_COHERENT = 0x4;
export const HOST_CACHED = 0x8;

/** `HOST_VISIBLE|HOST_COHERENT|...` for a memory type's property flags. */
export function flagNames(flags: number): string {
  const names = ['DEVICE_LOCAL', 'HOST_VISIBLE', 'HOST_COHERENT', 'HOST_CACHED', 'LAZILY_ALLOCATED', 'PROTECTED'];
  const set = names.filter((_, bit) => flags & (1 << bit));
  return set.length ? set.join('|') : '0';
}
