/**
 * Descriptor set layouts, pools that count what their sets take (maxSets and descriptors of each type, as
 * drivers account them), sets, and their updates.
 */
import { VkError, type BackendDescriptorBinding, type BackendDescriptorWrite } from '@vkmap/core';
import type {
  EmulatedBuffer,
  EmulatedDescriptorPool,
  EmulatedDescriptorSet,
  EmulatedDescriptorSetLayout,
} from './records.js';

export function createDescriptorSetLayout(bindings: readonly BackendDescriptorBinding[]): EmulatedDescriptorSetLayout {
  const sorted = [...bindings].sort((a, b) => a.binding - b.binding);
  return { bindings: new Map(sorted.map((binding) => [binding.binding, { ...binding }])) };
}

export function createDescriptorPool(request: {
  readonly flags: number;
  readonly maxSets: number;
  readonly poolSizes: readonly { readonly type: number; readonly descriptorCount: number }[];
}): EmulatedDescriptorPool {
  const capacity = new Map<number, number>();
  for (const { type, descriptorCount } of request.poolSizes) {
    capacity.set(type, (capacity.get(type) ?? 0) + descriptorCount);
  }
  return { flags: request.flags, maxSets: request.maxSets, capacity, used: new Map(), sets: new Set() };
}

/**
 * vkAllocateDescriptorSets: all the sets or none. Fails with VK_ERROR_OUT_OF_POOL_MEMORY when the sets would
 * take the pool past maxSets or past its descriptors of some type (a type it has none of included).
 */
export function allocateDescriptorSets(
  pool: EmulatedDescriptorPool,
  layouts: readonly EmulatedDescriptorSetLayout[],
): EmulatedDescriptorSet[] {
  if (pool.sets.size + layouts.length > pool.maxSets) {
    throw new VkError(
      'vkAllocateDescriptorSets',
      'VK_ERROR_OUT_OF_POOL_MEMORY',
      `the pool has ${pool.maxSets - pool.sets.size} of its ${pool.maxSets} sets free, ${layouts.length} asked for`,
    );
  }
  const needed = new Map<number, number>();
  for (const layout of layouts) addCounts(needed, layout, 1);
  for (const [type, count] of needed) {
    const free = (pool.capacity.get(type) ?? 0) - (pool.used.get(type) ?? 0);
    if (count > free) {
      throw new VkError(
        'vkAllocateDescriptorSets',
        'VK_ERROR_OUT_OF_POOL_MEMORY',
        `the sets need ${count} descriptors of type ${type}; the pool has ${free} of them free`,
      );
    }
  }
  return layouts.map((layout) => {
    const set: EmulatedDescriptorSet = {
      pool,
      layout,
      descriptors: new Map(
        [...layout.bindings.values()].map((binding) => [binding.binding, new Array(binding.descriptorCount)]),
      ),
    };
    addCounts(pool.used, layout, 1);
    pool.sets.add(set);
    return set;
  });
}

export function freeDescriptorSets(pool: EmulatedDescriptorPool, sets: readonly EmulatedDescriptorSet[]): void {
  for (const set of sets) {
    if (!pool.sets.delete(set)) continue;
    addCounts(pool.used, set.layout, -1);
  }
}

export function destroyDescriptorPool(pool: EmulatedDescriptorPool): void {
  pool.sets.clear();
  pool.used.clear();
}

/**
 * vkUpdateDescriptorSets. A write with more descriptors than its binding has elements left goes on into the
 * next binding, as the specification's consecutive binding updates do.
 */
export function updateDescriptorSets(
  writes: readonly BackendDescriptorWrite<EmulatedDescriptorSet, EmulatedBuffer>[],
): void {
  for (const write of writes) {
    const numbers = [...write.set.descriptors.keys()];
    let bindingIndex = numbers.indexOf(write.binding);
    let element = write.arrayElement;
    for (const { buffer, offset, range } of write.buffers) {
      let slots = write.set.descriptors.get(numbers[bindingIndex]!)!;
      while (element >= slots.length) {
        bindingIndex += 1;
        element = 0;
        slots = write.set.descriptors.get(numbers[bindingIndex]!)!;
      }
      slots[element] = { buffer, offset, range };
      element += 1;
    }
  }
}

/** Adds `sign` times the descriptors of each type that `layout` holds to `counts`. */
function addCounts(counts: Map<number, number>, layout: EmulatedDescriptorSetLayout, sign: 1 | -1): void {
  for (const { descriptorType, descriptorCount } of layout.bindings.values()) {
    if (descriptorCount === 0) continue;
    counts.set(descriptorType, (counts.get(descriptorType) ?? 0) + sign * descriptorCount);
  }
}
