/**
 * Device features as Vulkan chains them onto VkPhysicalDeviceFeatures2: a record keyed by feature structure,
 * each structure its boolean members. A physical device reports every structure (all false where it lacks
 * the extension); a device is created with the ones the application enables. A new feature structure is one
 * member of `PhysicalDeviceFeatures` and one entry of `FEATURE_STRUCTURES`.
 */
import { VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME, VkStructureType } from '../constants.js';

/** VkPhysicalDeviceMapMemoryPlacedFeaturesEXT (VK_EXT_map_memory_placed). */
export interface PhysicalDeviceMapMemoryPlacedFeaturesEXT {
  readonly memoryMapPlaced: boolean;
  readonly memoryMapRangePlaced: boolean;
  readonly memoryUnmapReserve: boolean;
}

/** Every feature structure vkmap knows, keyed by structure. */
export interface PhysicalDeviceFeatures {
  /** VkPhysicalDeviceMapMemoryPlacedFeaturesEXT. */
  readonly mapMemoryPlaced: PhysicalDeviceMapMemoryPlacedFeaturesEXT;
}

export type FeatureStructureKey = keyof PhysicalDeviceFeatures;

/** What `DeviceCreateInfo.enabledFeatures` takes: the members to enable, per structure; the rest stay off. */
export type EnabledFeatures = {
  readonly [K in FeatureStructureKey]?: Partial<PhysicalDeviceFeatures[K]>;
};

export interface FeatureStructureInfo<K extends FeatureStructureKey = FeatureStructureKey> {
  /** The C structure's name. */
  readonly structure: string;
  readonly sType: number;
  /** The extension that provides the structure (enabling any of its members needs it enabled). */
  readonly extension: string;
  readonly members: readonly (keyof PhysicalDeviceFeatures[K] & string)[];
}

export const FEATURE_STRUCTURES: { readonly [K in FeatureStructureKey]: FeatureStructureInfo<K> } = {
  mapMemoryPlaced: {
    structure: 'VkPhysicalDeviceMapMemoryPlacedFeaturesEXT',
    sType: VkStructureType.VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAP_MEMORY_PLACED_FEATURES_EXT,
    extension: VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
    members: ['memoryMapPlaced', 'memoryMapRangePlaced', 'memoryUnmapReserve'],
  },
};

/** Every structure with every member false: a device without extensions or features. */
export function noFeatures(): PhysicalDeviceFeatures {
  const features: Record<string, Record<string, boolean>> = {};
  for (const [key, info] of Object.entries(FEATURE_STRUCTURES)) {
    features[key] = Object.fromEntries(info.members.map((member) => [member, false]));
  }
  return features as unknown as PhysicalDeviceFeatures;
}

/** A frozen copy, every structure and member present (missing ones false). */
export function completeFeatures(partial: EnabledFeatures): PhysicalDeviceFeatures {
  const features = noFeatures() as unknown as Record<string, Record<string, boolean>>;
  for (const [key, structure] of Object.entries(partial)) {
    if (!structure || !features[key]) continue;
    for (const [member, value] of Object.entries(structure))
      if (member in features[key]!) features[key]![member] = value === true;
  }
  for (const structure of Object.values(features)) Object.freeze(structure);
  return Object.freeze(features) as unknown as PhysicalDeviceFeatures;
}
