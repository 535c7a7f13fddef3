import {
  apiVersionMajorMinor,
  VK_API_VERSION_1_4,
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
} from './constants.js';

/** Device-level commands of the family and what makes each available (vkGetDeviceProcAddr). */
const COMMAND_REQUIREMENTS: Record<string, { version?: number; extension?: string }> = {
  vkAllocateMemory: {},
  vkFreeMemory: {},
  vkMapMemory: {},
  vkUnmapMemory: {},
  vkFlushMappedMemoryRanges: {},
  vkInvalidateMappedMemoryRanges: {},
  vkMapMemory2: { version: VK_API_VERSION_1_4 },
  vkUnmapMemory2: { version: VK_API_VERSION_1_4 },
  vkMapMemory2KHR: { extension: VK_KHR_MAP_MEMORY_2_EXTENSION_NAME },
  vkUnmapMemory2KHR: { extension: VK_KHR_MAP_MEMORY_2_EXTENSION_NAME },
};

/** Whether `name` is a device command of the family available at this API version with these extensions. */
export function isDeviceCommandAvailable(
  name: string,
  apiVersion: number,
  enabledExtensions: ReadonlySet<string>,
): boolean {
  const requirement = COMMAND_REQUIREMENTS[name];
  if (!requirement) return false;
  if (requirement.version !== undefined && apiVersionMajorMinor(apiVersion) < requirement.version) return false;
  if (requirement.extension !== undefined && !enabledExtensions.has(requirement.extension)) return false;
  return true;
}

/** Extensions of the family and the versions or extensions they depend on. */
export const EXTENSION_DEPENDENCIES: Record<string, { orVersion?: number; extensions: readonly string[] }> = {
  [VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME]: {
    orVersion: VK_API_VERSION_1_4,
    extensions: [VK_KHR_MAP_MEMORY_2_EXTENSION_NAME],
  },
};
