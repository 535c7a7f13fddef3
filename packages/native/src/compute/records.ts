/**
 * The native backend's records of the compute chapters' objects: each is the handle's value the addon knows
 * the object by (for VkQueue and VkCommandBuffer, the dispatchable handle's address, which the addon maps
 * back through its own records and never trusts as a pointer). The front keeps them in its handle table
 * and hands them back.
 */

/** A Vulkan object of the native backend: its handle's value. */
export interface NativeObject {
  readonly handle: bigint;
}

export type NativeBuffer = NativeObject;
export type NativeShaderModule = NativeObject;
export type NativeDescriptorSetLayout = NativeObject;
export type NativePipelineLayout = NativeObject;
export type NativePipeline = NativeObject;
export type NativeDescriptorPool = NativeObject;
export type NativeDescriptorSet = NativeObject;
export type NativeCommandPool = NativeObject;
export type NativeCommandBuffer = NativeObject;
export type NativeFence = NativeObject;

export interface NativeQueue extends NativeObject {
  readonly queueFamilyIndex: number;
  readonly queueIndex: number;
}

export function record(handle: bigint): NativeObject {
  return Object.freeze({ handle });
}

/** The handles of `objects`, as the addon takes lists of them. */
export function handles(objects: readonly NativeObject[]): BigUint64Array {
  const out = new BigUint64Array(objects.length);
  for (let i = 0; i < objects.length; i++) out[i] = objects[i]!.handle;
  return out;
}
