/**
 * VkResult codes that vkmap's commands can return (COMMANDS in commands.ts lists which command returns
 * which), with the values of the Vulkan registry (vk.xml).
 */
export const VkResult = {
  VK_SUCCESS: 0,
  VK_NOT_READY: 1,
  VK_TIMEOUT: 2,
  VK_INCOMPLETE: 5,
  VK_PIPELINE_COMPILE_REQUIRED: 1000297000,
  VK_ERROR_OUT_OF_HOST_MEMORY: -1,
  VK_ERROR_OUT_OF_DEVICE_MEMORY: -2,
  VK_ERROR_INITIALIZATION_FAILED: -3,
  VK_ERROR_DEVICE_LOST: -4,
  VK_ERROR_MEMORY_MAP_FAILED: -5,
  VK_ERROR_LAYER_NOT_PRESENT: -6,
  VK_ERROR_EXTENSION_NOT_PRESENT: -7,
  VK_ERROR_FEATURE_NOT_PRESENT: -8,
  VK_ERROR_INCOMPATIBLE_DRIVER: -9,
  VK_ERROR_TOO_MANY_OBJECTS: -10,
  VK_ERROR_FORMAT_NOT_SUPPORTED: -11,
  VK_ERROR_FRAGMENTED_POOL: -12,
  VK_ERROR_UNKNOWN: -13,
  VK_ERROR_VALIDATION_FAILED: -1000011001,
  VK_ERROR_INVALID_SHADER_NV: -1000012000,
  VK_ERROR_OUT_OF_POOL_MEMORY: -1000069000,
  VK_ERROR_INVALID_EXTERNAL_HANDLE: -1000072003,
  VK_ERROR_FRAGMENTATION: -1000161000,
  VK_ERROR_NOT_PERMITTED: -1000174001,
  VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS: -1000257000,
  VK_ERROR_INVALID_VIDEO_STD_PARAMETERS_KHR: -1000299000,
} as const;

export type VkResultName = keyof typeof VkResult;
export type VkResultCode = (typeof VkResult)[VkResultName];

const namesByCode = new Map<number, VkResultName>(
  (Object.keys(VkResult) as VkResultName[]).map((name) => [VkResult[name], name]),
);

/** The registry name of a result code, or `VK_RESULT_<code>` for a code this table does not know. */
export function vkResultName(code: number): string {
  return namesByCode.get(code) ?? `VK_RESULT_${code}`;
}

export function isVkResultName(name: unknown): name is VkResultName {
  return typeof name === 'string' && Object.hasOwn(VkResult, name);
}
