/**
 * The valid-usage rules (VUIDs) that the validation layer knows, in their current (Vulkan 1.4) spelling,
 * with our own one-line description of each, and the host-access hazards that it reports under its own
 * identifiers. Rules that cannot arise through vkmap's API say why in `notApplicable`; every other rule is
 * checked by the layer. `group` says which part of the catalogue an entry is in:
 *
 * - 'mapping': the 78 rules of the host memory mapping family, then `supplementary` ones: real
 *   specification rules outside that list which the layer reports for JavaScript misuse of vkAllocateMemory's
 *   argument (a missing info object, a wrong sType, an unknown pNext structure), so that such misuse is
 *   never reported under a rule that does not describe it;
 * - 'compute': the rules of the compute chapters that catch real mistakes (buffers and their memory,
 *   descriptor updates, pipelines against their layout, dispatch state, the command buffer lifecycle,
 *   submission and fences). `renamedFrom` lists a rule's identifiers in the Vulkan 1.3.239 registry that
 *   Debian's libvulkan-dev ships (validusage.json), where the rule has been renumbered since;
 * - 'host-access': the hazards of host access to mapped memory that no Vulkan layer reports
 *   (`VKMAP-HOST-...`): warnings in 'report' mode, errors in 'throw' mode.
 *
 * `unassigned` marks the identifiers that the Khronos validation layer reports where the specification
 * has no rule number (`UNASSIGNED-...`); they link to their command's or structure's section.
 */
import { VkmapArgumentError } from '../errors.js';

/** The specification chapter (page) that holds a rule, for its link. */
export type SpecChapter =
  | 'memory'
  | 'features'
  | 'limits'
  | 'resources'
  | 'descriptorsets'
  | 'pipelines'
  | 'cmdbuffers'
  | 'synchronization'
  | 'dispatch'
  | 'copies'
  | 'clears';

/** Which part of the catalogue an entry belongs to. */
export type CatalogueGroup = 'mapping' | 'compute' | 'host-access';

export interface VuidEntry {
  /** The rule's current (Vulkan 1.4) name. */
  readonly id: string;
  /** The command or structure the rule belongs to. */
  readonly scope: string;
  readonly chapter: SpecChapter;
  readonly group: CatalogueGroup;
  /** What makes the rule exist: a core version or an extension. */
  readonly requires: string;
  readonly description: string;
  /** Its pre-1.4 names (VK_KHR_map_memory2 spellings), which `reportKhrAliases` reports too. */
  readonly khrAliases: readonly string[];
  /** Its identifiers in the Vulkan 1.3.239 registry, where it has been renumbered since (never reported). */
  readonly renamedFrom: readonly string[];
  /** Why the rule cannot arise through vkmap's API; absent when the layer checks it. */
  readonly notApplicable?: string;
  /** A specification rule beyond the family's list of 78. */
  readonly supplementary?: true;
  /** An identifier of the Khronos validation layer (`UNASSIGNED-...`) where the specification numbers no rule. */
  readonly unassigned?: true;
  /** A host-access hazard of vkmap's own (`VKMAP-HOST-...`), documented in the README, not a specification rule. */
  readonly hazard?: true;
}

const NO_POINTER_OUT =
  'vkmap returns the mapping as the call result, so there is no output pointer that could be NULL or invalid';
const NO_ALLOCATOR = 'vkmap has no VkAllocationCallbacks parameter; host allocation is the JavaScript engine’s';
const ONE_PHYSICAL_DEVICE =
  'a vkmap Device is created from one PhysicalDevice (no device groups), so an allocation always has exactly one instance; a deviceMask naming another device is refused by VUID-VkMemoryAllocateFlagsInfo-deviceMask-00675 first';
const NO_HOST_IMPORT =
  'the contract has no memory import (no VkImportMemoryHostPointerInfoEXT); such a structure in pNext is refused by VUID-VkMemoryAllocateInfo-pNext-pNext, so no memory object can be a host-pointer import';
const OUTPUT_STRUCT_FEATURES =
  'vkmap returns this structure as PhysicalDevice.getFeatures().mapMemoryPlaced and takes features as plain booleans keyed by structure (DeviceCreateInfo.enabledFeatures.mapMemoryPlaced) with no sType, so the application never fills in its sType';
const OUTPUT_STRUCT_PROPERTIES =
  'vkmap returns this structure from PhysicalDevice.getMapMemoryPlacedProperties(); the application never fills it in';

const MAP2 = 'Vulkan 1.4 or VK_KHR_map_memory2';
const PLACED = 'VK_EXT_map_memory_placed';

function entry<Id extends string>(
  id: Id,
  scope: string,
  requires: string,
  description: string,
  extra: Partial<Pick<VuidEntry, 'notApplicable' | 'supplementary' | 'chapter' | 'group' | 'renamedFrom'>> & {
    khr?: boolean;
  } = {},
): VuidEntry & { readonly id: Id } {
  const { khr, chapter = 'memory', group = 'mapping', renamedFrom = [], ...rest } = extra;
  return {
    id,
    scope,
    chapter,
    group,
    requires,
    description,
    khrAliases: khr ? [id.replace(`VUID-${scope}-`, `VUID-${scope}KHR-`)] : [],
    renamedFrom,
    ...rest,
  };
}

/** A rule of the compute chapters. */
function compute<Id extends `VUID-${string}`>(
  id: Id,
  scope: string,
  chapter: SpecChapter,
  description: string,
  extra: { requires?: string; renamedFrom?: readonly string[] } = {},
): VuidEntry & { readonly id: Id } {
  return entry(id, scope, extra.requires ?? 'Vulkan 1.0', description, {
    chapter,
    group: 'compute',
    renamedFrom: extra.renamedFrom ?? [],
  });
}

/** A check the specification leaves unnumbered, under the identifier the Khronos layer reports for it. */
function unassigned<Id extends `UNASSIGNED-${string}`>(
  id: Id,
  scope: string,
  requires: string,
  description: string,
  placement: { chapter: SpecChapter; group: CatalogueGroup } = { chapter: 'memory', group: 'mapping' },
): VuidEntry & { readonly id: Id } {
  return { id, scope, requires, description, khrAliases: [], renamedFrom: [], unassigned: true, ...placement };
}

/** A host-access hazard: vkmap's own identifier, documented in the README's table of hazards. */
function hazard<Id extends `VKMAP-HOST-${string}`>(
  id: Id,
  scope: string,
  description: string,
): VuidEntry & { readonly id: Id } {
  return {
    id,
    scope,
    chapter: 'memory',
    group: 'host-access',
    requires: 'Vulkan 1.0 (host access to mapped memory)',
    description,
    khrAliases: [],
    renamedFrom: [],
    hazard: true,
  };
}

/** The rule that used to say every pipeline-layout consistency rule of a compute pipeline at once. */
const LAYOUT_00703 = ['VUID-VkComputePipelineCreateInfo-layout-00703'];

export const VUID_CATALOGUE = [
  // vkMapMemory
  entry('VUID-vkMapMemory-memory-00678', 'vkMapMemory', 'Vulkan 1.0', 'memory must not be host mapped already'),
  entry('VUID-vkMapMemory-offset-00679', 'vkMapMemory', 'Vulkan 1.0', 'offset must be below the allocation size'),
  entry('VUID-vkMapMemory-size-00680', 'vkMapMemory', 'Vulkan 1.0', 'an explicit size must not be 0'),
  entry(
    'VUID-vkMapMemory-size-00681',
    'vkMapMemory',
    'Vulkan 1.0',
    'an explicit size must fit in the allocation after offset',
  ),
  entry('VUID-vkMapMemory-memory-00682', 'vkMapMemory', 'Vulkan 1.0', 'the memory type must be HOST_VISIBLE'),
  entry('VUID-vkMapMemory-memory-00683', 'vkMapMemory', 'VK_KHR_device_group', 'memory must not be multi-instance', {
    notApplicable: ONE_PHYSICAL_DEVICE,
  }),
  entry('VUID-vkMapMemory-flags-09568', 'vkMapMemory', PLACED, 'vkMapMemory cannot place a map (no PLACED bit)'),
  entry('VUID-vkMapMemory-device-parameter', 'vkMapMemory', 'Vulkan 1.0', 'the device must be live (not destroyed)'),
  entry('VUID-vkMapMemory-memory-parameter', 'vkMapMemory', 'Vulkan 1.0', 'memory must be a live VkDeviceMemory'),
  entry('VUID-vkMapMemory-flags-parameter', 'vkMapMemory', 'Vulkan 1.0', 'flags must hold only defined, enabled bits'),
  entry('VUID-vkMapMemory-ppData-parameter', 'vkMapMemory', 'Vulkan 1.0', 'ppData must point to a void*', {
    notApplicable: NO_POINTER_OUT,
  }),
  entry('VUID-vkMapMemory-memory-parent', 'vkMapMemory', 'Vulkan 1.0', 'memory must come from this device'),

  // vkMapMemory2 and VkMemoryMapInfo
  entry('VUID-vkMapMemory2-device-parameter', 'vkMapMemory2', MAP2, 'the device must be live (not destroyed)', {
    khr: true,
  }),
  entry(
    'VUID-vkMapMemory2-pMemoryMapInfo-parameter',
    'vkMapMemory2',
    MAP2,
    'pMemoryMapInfo must be a VkMemoryMapInfo object',
    {
      khr: true,
    },
  ),
  entry('VUID-vkMapMemory2-ppData-parameter', 'vkMapMemory2', MAP2, 'ppData must point to a void*', {
    khr: true,
    notApplicable: NO_POINTER_OUT,
  }),
  entry('VUID-VkMemoryMapInfo-memory-07958', 'VkMemoryMapInfo', MAP2, 'memory must not be host mapped already', {
    khr: true,
  }),
  entry('VUID-VkMemoryMapInfo-offset-07959', 'VkMemoryMapInfo', MAP2, 'offset must be below the allocation size', {
    khr: true,
  }),
  entry('VUID-VkMemoryMapInfo-size-07960', 'VkMemoryMapInfo', MAP2, 'an explicit size must not be 0', { khr: true }),
  entry(
    'VUID-VkMemoryMapInfo-size-07961',
    'VkMemoryMapInfo',
    MAP2,
    'an explicit size must fit in the allocation after offset',
    {
      khr: true,
    },
  ),
  entry('VUID-VkMemoryMapInfo-memory-07962', 'VkMemoryMapInfo', MAP2, 'the memory type must be HOST_VISIBLE', {
    khr: true,
  }),
  entry(
    'VUID-VkMemoryMapInfo-memory-07963',
    'VkMemoryMapInfo',
    `${MAP2} + VK_KHR_device_group`,
    'memory must not be multi-instance',
    {
      khr: true,
      notApplicable: ONE_PHYSICAL_DEVICE,
    },
  ),
  entry(
    'VUID-VkMemoryMapInfo-flags-09569',
    'VkMemoryMapInfo',
    `${MAP2} + ${PLACED}`,
    'a placed map needs the memoryMapPlaced feature',
    {
      khr: true,
    },
  ),
  entry(
    'VUID-VkMemoryMapInfo-flags-09570',
    'VkMemoryMapInfo',
    `${MAP2} + ${PLACED}`,
    'a placed map needs a VkMemoryMapPlacedInfoEXT with a non-null address',
    {
      khr: true,
    },
  ),
  entry(
    'VUID-VkMemoryMapInfo-flags-09571',
    'VkMemoryMapInfo',
    `${MAP2} + ${PLACED}`,
    'without memoryMapRangePlaced, a placed map starts at offset 0',
    {
      khr: true,
    },
  ),
  entry(
    'VUID-VkMemoryMapInfo-flags-09572',
    'VkMemoryMapInfo',
    `${MAP2} + ${PLACED}`,
    'without memoryMapRangePlaced, a placed map covers the whole allocation',
    {
      khr: true,
    },
  ),
  entry(
    'VUID-VkMemoryMapInfo-flags-09573',
    'VkMemoryMapInfo',
    `${MAP2} + ${PLACED}`,
    'with memoryMapRangePlaced, a placed offset is a multiple of minPlacedMemoryMapAlignment',
    {
      khr: true,
    },
  ),
  entry(
    'VUID-VkMemoryMapInfo-flags-09574',
    'VkMemoryMapInfo',
    `${MAP2} + ${PLACED}`,
    'an explicit placed size is a multiple of minPlacedMemoryMapAlignment',
    {
      khr: true,
    },
  ),
  entry(
    'VUID-VkMemoryMapInfo-flags-09651',
    'VkMemoryMapInfo',
    `${MAP2} + ${PLACED}`,
    'a whole-size placed map needs an allocation size that is a multiple of minPlacedMemoryMapAlignment',
    {
      khr: true,
    },
  ),
  entry(
    'VUID-VkMemoryMapInfo-flags-09575',
    'VkMemoryMapInfo',
    `${MAP2} + ${PLACED} + VK_EXT_external_memory_host`,
    'a host-pointer import cannot be placed',
    {
      khr: true,
      notApplicable: NO_HOST_IMPORT,
    },
  ),
  entry(
    'VUID-VkMemoryMapInfo-sType-sType',
    'VkMemoryMapInfo',
    MAP2,
    'sType must be VK_STRUCTURE_TYPE_MEMORY_MAP_INFO',
    { khr: true },
  ),
  entry(
    'VUID-VkMemoryMapInfo-pNext-pNext',
    'VkMemoryMapInfo',
    MAP2,
    'pNext may only chain a VkMemoryMapPlacedInfoEXT (with its extension enabled)',
    {
      khr: true,
    },
  ),
  entry('VUID-VkMemoryMapInfo-sType-unique', 'VkMemoryMapInfo', MAP2, 'no structure type twice in pNext', {
    khr: true,
  }),
  entry('VUID-VkMemoryMapInfo-flags-parameter', 'VkMemoryMapInfo', MAP2, 'flags must hold only defined, enabled bits', {
    khr: true,
  }),
  entry(
    'VUID-VkMemoryMapInfo-memory-parameter',
    'VkMemoryMapInfo',
    MAP2,
    'memory must be a live VkDeviceMemory of this device',
    {
      khr: true,
    },
  ),

  // VkMemoryMapPlacedInfoEXT
  entry(
    'VUID-VkMemoryMapPlacedInfoEXT-pPlacedAddress-09577',
    'VkMemoryMapPlacedInfoEXT',
    PLACED,
    'pPlacedAddress is a multiple of minPlacedMemoryMapAlignment',
  ),
  entry(
    'VUID-VkMemoryMapPlacedInfoEXT-pPlacedAddress-09578',
    'VkMemoryMapPlacedInfoEXT',
    PLACED,
    'the placed range must not overlap a live mapping',
  ),
  entry(
    'VUID-VkMemoryMapPlacedInfoEXT-sType-sType',
    'VkMemoryMapPlacedInfoEXT',
    PLACED,
    'sType must be VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT',
  ),

  // vkUnmapMemory
  entry('VUID-vkUnmapMemory-memory-00689', 'vkUnmapMemory', 'Vulkan 1.0', 'memory must be host mapped'),
  entry(
    'VUID-vkUnmapMemory-device-parameter',
    'vkUnmapMemory',
    'Vulkan 1.0',
    'the device must be live (not destroyed)',
  ),
  entry('VUID-vkUnmapMemory-memory-parameter', 'vkUnmapMemory', 'Vulkan 1.0', 'memory must be a live VkDeviceMemory'),
  entry('VUID-vkUnmapMemory-memory-parent', 'vkUnmapMemory', 'Vulkan 1.0', 'memory must come from this device'),

  // vkUnmapMemory2 and VkMemoryUnmapInfo
  entry('VUID-vkUnmapMemory2-device-parameter', 'vkUnmapMemory2', MAP2, 'the device must be live (not destroyed)', {
    khr: true,
  }),
  entry(
    'VUID-vkUnmapMemory2-pMemoryUnmapInfo-parameter',
    'vkUnmapMemory2',
    MAP2,
    'pMemoryUnmapInfo must be a VkMemoryUnmapInfo object',
    {
      khr: true,
    },
  ),
  entry('VUID-VkMemoryUnmapInfo-memory-07964', 'VkMemoryUnmapInfo', MAP2, 'memory must be host mapped', { khr: true }),
  entry(
    'VUID-VkMemoryUnmapInfo-flags-09579',
    'VkMemoryUnmapInfo',
    `${MAP2} + ${PLACED}`,
    'RESERVE needs the memoryUnmapReserve feature',
    {
      khr: true,
    },
  ),
  entry(
    'VUID-VkMemoryUnmapInfo-flags-09580',
    'VkMemoryUnmapInfo',
    `${MAP2} + ${PLACED} + VK_EXT_external_memory_host`,
    'a host-pointer import cannot be unmapped with RESERVE',
    {
      khr: true,
      notApplicable: NO_HOST_IMPORT,
    },
  ),
  entry(
    'VUID-VkMemoryUnmapInfo-sType-sType',
    'VkMemoryUnmapInfo',
    MAP2,
    'sType must be VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO',
    { khr: true },
  ),
  entry('VUID-VkMemoryUnmapInfo-pNext-pNext', 'VkMemoryUnmapInfo', MAP2, 'pNext must be null', { khr: true }),
  entry(
    'VUID-VkMemoryUnmapInfo-flags-parameter',
    'VkMemoryUnmapInfo',
    MAP2,
    'flags must hold only defined, enabled bits',
    { khr: true },
  ),
  entry(
    'VUID-VkMemoryUnmapInfo-memory-parameter',
    'VkMemoryUnmapInfo',
    MAP2,
    'memory must be a live VkDeviceMemory of this device',
    {
      khr: true,
    },
  ),

  // vkFlushMappedMemoryRanges, vkInvalidateMappedMemoryRanges, VkMappedMemoryRange
  entry(
    'VUID-vkFlushMappedMemoryRanges-device-parameter',
    'vkFlushMappedMemoryRanges',
    'Vulkan 1.0',
    'the device must be live (not destroyed)',
  ),
  entry(
    'VUID-vkFlushMappedMemoryRanges-pMemoryRanges-parameter',
    'vkFlushMappedMemoryRanges',
    'Vulkan 1.0',
    'the ranges must be an array of objects',
  ),
  entry(
    'VUID-vkFlushMappedMemoryRanges-memoryRangeCount-arraylength',
    'vkFlushMappedMemoryRanges',
    'Vulkan 1.0',
    'at least one range',
  ),
  entry(
    'VUID-vkInvalidateMappedMemoryRanges-device-parameter',
    'vkInvalidateMappedMemoryRanges',
    'Vulkan 1.0',
    'the device must be live (not destroyed)',
  ),
  entry(
    'VUID-vkInvalidateMappedMemoryRanges-pMemoryRanges-parameter',
    'vkInvalidateMappedMemoryRanges',
    'Vulkan 1.0',
    'the ranges must be an array of objects',
  ),
  entry(
    'VUID-vkInvalidateMappedMemoryRanges-memoryRangeCount-arraylength',
    'vkInvalidateMappedMemoryRanges',
    'Vulkan 1.0',
    'at least one range',
  ),
  entry(
    'VUID-VkMappedMemoryRange-memory-00684',
    'VkMappedMemoryRange',
    'Vulkan 1.0',
    'the range’s memory must be host mapped',
  ),
  entry(
    'VUID-VkMappedMemoryRange-size-00685',
    'VkMappedMemoryRange',
    'Vulkan 1.0',
    'an explicit range lies inside the current mapping',
  ),
  entry(
    'VUID-VkMappedMemoryRange-size-00686',
    'VkMappedMemoryRange',
    'Vulkan 1.0',
    'a whole-size range starts inside the current mapping',
  ),
  entry(
    'VUID-VkMappedMemoryRange-offset-00687',
    'VkMappedMemoryRange',
    'Vulkan 1.0',
    'offset is a multiple of nonCoherentAtomSize',
  ),
  entry(
    'VUID-VkMappedMemoryRange-size-01389',
    'VkMappedMemoryRange',
    'Vulkan 1.0',
    'for a whole-size range, the mapping ends on an atom boundary or at the end of the allocation',
  ),
  entry(
    'VUID-VkMappedMemoryRange-size-01390',
    'VkMappedMemoryRange',
    'Vulkan 1.0',
    'an explicit size is a multiple of nonCoherentAtomSize or ends at the end of the allocation',
  ),
  entry(
    'VUID-VkMappedMemoryRange-sType-sType',
    'VkMappedMemoryRange',
    'Vulkan 1.0',
    'sType must be VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE',
  ),
  entry('VUID-VkMappedMemoryRange-pNext-pNext', 'VkMappedMemoryRange', 'Vulkan 1.0', 'pNext must be null'),
  entry(
    'VUID-VkMappedMemoryRange-memory-parameter',
    'VkMappedMemoryRange',
    'Vulkan 1.0',
    'memory must be a live VkDeviceMemory of this device',
  ),

  // vkFreeMemory
  entry(
    'VUID-vkFreeMemory-memory-00677',
    'vkFreeMemory',
    'Vulkan 1.0',
    'no pending GPU work may still use the memory (through a buffer bound to it)',
  ),
  entry('VUID-vkFreeMemory-device-parameter', 'vkFreeMemory', 'Vulkan 1.0', 'the device must be live (not destroyed)'),
  entry('VUID-vkFreeMemory-memory-parameter', 'vkFreeMemory', 'Vulkan 1.0', 'memory is null or a live VkDeviceMemory'),
  entry('VUID-vkFreeMemory-pAllocator-parameter', 'vkFreeMemory', 'Vulkan 1.0', 'pAllocator is NULL or valid', {
    notApplicable: NO_ALLOCATOR,
  }),
  entry('VUID-vkFreeMemory-memory-parent', 'vkFreeMemory', 'Vulkan 1.0', 'memory must come from this device'),

  // Feature and property structures
  entry(
    'VUID-VkPhysicalDeviceMapMemoryPlacedFeaturesEXT-sType-sType',
    'VkPhysicalDeviceMapMemoryPlacedFeaturesEXT',
    PLACED,
    'sType of the features structure',
    {
      chapter: 'features',
      notApplicable: OUTPUT_STRUCT_FEATURES,
    },
  ),
  entry(
    'VUID-VkPhysicalDeviceMapMemoryPlacedPropertiesEXT-sType-sType',
    'VkPhysicalDeviceMapMemoryPlacedPropertiesEXT',
    PLACED,
    'sType of the properties structure',
    {
      chapter: 'limits',
      notApplicable: OUTPUT_STRUCT_PROPERTIES,
    },
  ),

  // vkAllocateMemory, VkMemoryAllocateInfo, VkMemoryAllocateFlagsInfo
  entry(
    'VUID-vkAllocateMemory-pAllocateInfo-01713',
    'vkAllocateMemory',
    'Vulkan 1.0',
    'allocationSize fits in the memory type’s heap',
  ),
  entry(
    'VUID-vkAllocateMemory-pAllocateInfo-01714',
    'vkAllocateMemory',
    'Vulkan 1.0',
    'memoryTypeIndex below memoryTypeCount',
  ),
  entry(
    'VUID-vkAllocateMemory-maxMemoryAllocationCount-04101',
    'vkAllocateMemory',
    'Vulkan 1.0',
    'fewer than maxMemoryAllocationCount live allocations',
  ),
  entry(
    'VUID-VkMemoryAllocateInfo-allocationSize-07897',
    'VkMemoryAllocateInfo',
    'Vulkan 1.0',
    'allocationSize above 0 (no import or export)',
  ),
  entry(
    'VUID-VkMemoryAllocateFlagsInfo-deviceMask-00675',
    'VkMemoryAllocateFlagsInfo',
    'Vulkan 1.1 or VK_KHR_device_group',
    'deviceMask names only devices of this logical device',
  ),
  entry(
    'VUID-VkMemoryAllocateFlagsInfo-deviceMask-00676',
    'VkMemoryAllocateFlagsInfo',
    'Vulkan 1.1 or VK_KHR_device_group',
    'deviceMask is not 0 with DEVICE_MASK_BIT',
  ),

  // Supplementary: implicit rules of vkAllocateMemory's argument, outside the family's list.
  entry(
    'VUID-vkAllocateMemory-device-parameter',
    'vkAllocateMemory',
    'Vulkan 1.0',
    'the device must be live (not destroyed)',
    {
      supplementary: true,
    },
  ),
  entry(
    'VUID-vkAllocateMemory-pAllocateInfo-parameter',
    'vkAllocateMemory',
    'Vulkan 1.0',
    'pAllocateInfo must be a VkMemoryAllocateInfo object',
    {
      supplementary: true,
    },
  ),
  entry(
    'VUID-VkMemoryAllocateInfo-sType-sType',
    'VkMemoryAllocateInfo',
    'Vulkan 1.0',
    'sType must be VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO',
    {
      supplementary: true,
    },
  ),
  entry(
    'VUID-VkMemoryAllocateInfo-pNext-pNext',
    'VkMemoryAllocateInfo',
    'Vulkan 1.0',
    'pNext may only chain structures vkmap models, with their version or extension',
    {
      supplementary: true,
    },
  ),
  entry(
    'VUID-VkMemoryAllocateInfo-sType-unique',
    'VkMemoryAllocateInfo',
    'Vulkan 1.0',
    'no structure type twice in pNext',
    {
      supplementary: true,
    },
  ),
  entry(
    'VUID-VkMemoryAllocateFlagsInfo-sType-sType',
    'VkMemoryAllocateFlagsInfo',
    'Vulkan 1.1 or VK_KHR_device_group',
    'sType must be VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO',
    {
      supplementary: true,
    },
  ),
  entry(
    'VUID-VkMemoryAllocateFlagsInfo-flags-parameter',
    'VkMemoryAllocateFlagsInfo',
    'Vulkan 1.1 or VK_KHR_device_group',
    'flags must hold only bits vkmap devices support',
    {
      supplementary: true,
    },
  ),

  // Unassigned: a live memory object of another device in a structure. The Khronos layer reports these
  // names for vkMapMemory2 / vkUnmapMemory2 (core and KHR alike) and both range commands.
  unassigned('UNASSIGNED-VkMemoryMapInfo-memory-parent', 'VkMemoryMapInfo', MAP2, 'memory must come from this device'),
  unassigned(
    'UNASSIGNED-VkMemoryUnmapInfo-memory-parent',
    'VkMemoryUnmapInfo',
    MAP2,
    'memory must come from this device',
  ),
  unassigned(
    'UNASSIGNED-VkMappedMemoryRange-memory-device',
    'VkMappedMemoryRange',
    'Vulkan 1.0',
    'the range’s memory must come from this device',
  ),

  // ---- The compute chapters ------------------------------------------------------------------------

  // vkDestroyBuffer, vkBindBufferMemory
  compute('VUID-vkDestroyBuffer-buffer-00922', 'vkDestroyBuffer', 'resources', 'no pending work may use the buffer'),
  compute('VUID-vkBindBufferMemory-buffer-07459', 'vkBindBufferMemory', 'resources', 'the buffer is not bound already'),
  compute(
    'VUID-vkBindBufferMemory-memory-01035',
    'vkBindBufferMemory',
    'resources',
    'the memory’s type is one of the buffer’s memoryTypeBits',
  ),
  compute(
    'VUID-vkBindBufferMemory-memoryOffset-01031',
    'vkBindBufferMemory',
    'resources',
    'memoryOffset is below the memory’s size',
  ),
  compute(
    'VUID-vkBindBufferMemory-None-10739',
    'vkBindBufferMemory',
    'resources',
    'memoryOffset is a multiple of the buffer’s required alignment',
    { renamedFrom: ['VUID-vkBindBufferMemory-memoryOffset-01036'] },
  ),
  compute(
    'VUID-vkBindBufferMemory-None-10741',
    'vkBindBufferMemory',
    'resources',
    'the buffer’s required size fits in the memory after memoryOffset',
    { renamedFrom: ['VUID-vkBindBufferMemory-size-01037'] },
  ),

  // vkUpdateDescriptorSets, VkWriteDescriptorSet, VkDescriptorBufferInfo, freeing sets and pools
  compute(
    'VUID-vkUpdateDescriptorSets-None-03047',
    'vkUpdateDescriptorSets',
    'descriptorsets',
    'a set that pending work uses is not updated (vkmap has no update-after-bind bindings)',
    { requires: 'Vulkan 1.2 or VK_EXT_descriptor_indexing (the layer applies it on every version)' },
  ),
  compute(
    'VUID-VkWriteDescriptorSet-dstBinding-00315',
    'VkWriteDescriptorSet',
    'descriptorsets',
    'dstBinding is at most the highest binding of the set’s layout',
  ),
  compute(
    'VUID-VkWriteDescriptorSet-dstBinding-00316',
    'VkWriteDescriptorSet',
    'descriptorsets',
    'dstBinding is a binding of the set’s layout with descriptors',
  ),
  compute(
    'VUID-VkWriteDescriptorSet-descriptorType-00319',
    'VkWriteDescriptorSet',
    'descriptorsets',
    'descriptorType is the type of dstBinding',
  ),
  compute(
    'VUID-VkWriteDescriptorSet-dstArrayElement-00321',
    'VkWriteDescriptorSet',
    'descriptorsets',
    'dstArrayElement plus the descriptors written fit in the binding (vkmap does not continue into the next)',
  ),
  compute(
    'VUID-VkWriteDescriptorSet-descriptorType-00327',
    'VkWriteDescriptorSet',
    'descriptorsets',
    'a uniform buffer’s offset is a multiple of minUniformBufferOffsetAlignment',
  ),
  compute(
    'VUID-VkWriteDescriptorSet-descriptorType-00328',
    'VkWriteDescriptorSet',
    'descriptorsets',
    'a storage buffer’s offset is a multiple of minStorageBufferOffsetAlignment',
  ),
  compute(
    'VUID-VkWriteDescriptorSet-descriptorType-00329',
    'VkWriteDescriptorSet',
    'descriptorsets',
    'each buffer is bound to a memory object (that is still allocated)',
  ),
  compute(
    'VUID-VkWriteDescriptorSet-descriptorType-00330',
    'VkWriteDescriptorSet',
    'descriptorsets',
    'a uniform buffer descriptor’s buffer has UNIFORM_BUFFER usage',
  ),
  compute(
    'VUID-VkWriteDescriptorSet-descriptorType-00331',
    'VkWriteDescriptorSet',
    'descriptorsets',
    'a storage buffer descriptor’s buffer has STORAGE_BUFFER usage',
  ),
  compute(
    'VUID-VkWriteDescriptorSet-descriptorType-00332',
    'VkWriteDescriptorSet',
    'descriptorsets',
    'a uniform buffer descriptor’s range is at most maxUniformBufferRange',
  ),
  compute(
    'VUID-VkWriteDescriptorSet-descriptorType-00333',
    'VkWriteDescriptorSet',
    'descriptorsets',
    'a storage buffer descriptor’s range is at most maxStorageBufferRange',
  ),
  compute(
    'VUID-VkDescriptorBufferInfo-offset-00340',
    'VkDescriptorBufferInfo',
    'descriptorsets',
    'offset is below the buffer’s size',
  ),
  compute(
    'VUID-VkDescriptorBufferInfo-range-00341',
    'VkDescriptorBufferInfo',
    'descriptorsets',
    'an explicit range is greater than 0',
  ),
  compute(
    'VUID-VkDescriptorBufferInfo-range-00342',
    'VkDescriptorBufferInfo',
    'descriptorsets',
    'an explicit range fits in the buffer after offset',
  ),
  compute(
    'VUID-vkFreeDescriptorSets-pDescriptorSets-00309',
    'vkFreeDescriptorSets',
    'descriptorsets',
    'no pending work uses a set being freed',
  ),
  compute(
    'VUID-vkDestroyDescriptorPool-descriptorPool-00303',
    'vkDestroyDescriptorPool',
    'descriptorsets',
    'no pending work uses a set of the pool',
  ),

  // VkComputePipelineCreateInfo against its layout (the layer reflects the SPIR-V), vkDestroyPipeline
  compute(
    'VUID-VkComputePipelineCreateInfo-layout-07987',
    'VkComputePipelineCreateInfo',
    'pipelines',
    'a push constant block the shader uses has a push constant range of the layout for the compute stage',
    { renamedFrom: LAYOUT_00703 },
  ),
  compute(
    'VUID-VkComputePipelineCreateInfo-layout-10069',
    'VkComputePipelineCreateInfo',
    'pipelines',
    'that push constant block lies inside the layout’s ranges for the compute stage',
    { renamedFrom: LAYOUT_00703 },
  ),
  compute(
    'VUID-VkComputePipelineCreateInfo-layout-07988',
    'VkComputePipelineCreateInfo',
    'pipelines',
    'each (set, binding) the shader uses is a binding of the layout, visible to the compute stage',
    { renamedFrom: LAYOUT_00703 },
  ),
  compute(
    'VUID-VkComputePipelineCreateInfo-layout-07990',
    'VkComputePipelineCreateInfo',
    'pipelines',
    'the layout’s binding has the descriptor type the shader declares (storage or uniform buffer)',
    { renamedFrom: LAYOUT_00703 },
  ),
  compute(
    'VUID-VkComputePipelineCreateInfo-layout-07991',
    'VkComputePipelineCreateInfo',
    'pipelines',
    'the layout’s binding holds at least as many descriptors as the shader’s array declares',
    { renamedFrom: LAYOUT_00703 },
  ),
  compute(
    'VUID-vkDestroyPipeline-pipeline-00765',
    'vkDestroyPipeline',
    'pipelines',
    'no pending work uses the pipeline',
  ),

  // The command buffer lifecycle: begin, end, reset, free, pools
  compute(
    'VUID-vkBeginCommandBuffer-commandBuffer-00049',
    'vkBeginCommandBuffer',
    'cmdbuffers',
    'the command buffer is not recording or pending',
  ),
  compute(
    'VUID-vkBeginCommandBuffer-commandBuffer-00050',
    'vkBeginCommandBuffer',
    'cmdbuffers',
    'without RESET_COMMAND_BUFFER on its pool, the command buffer is in the initial state',
  ),
  compute(
    'VUID-vkEndCommandBuffer-commandBuffer-00059',
    'vkEndCommandBuffer',
    'cmdbuffers',
    'the command buffer is recording',
  ),
  compute(
    'VUID-vkResetCommandBuffer-commandBuffer-00045',
    'vkResetCommandBuffer',
    'cmdbuffers',
    'the command buffer is not pending',
  ),
  compute(
    'VUID-vkResetCommandBuffer-commandBuffer-00046',
    'vkResetCommandBuffer',
    'cmdbuffers',
    'the command buffer’s pool was created with RESET_COMMAND_BUFFER',
  ),
  compute(
    'VUID-vkFreeCommandBuffers-pCommandBuffers-00047',
    'vkFreeCommandBuffers',
    'cmdbuffers',
    'no command buffer being freed is pending',
  ),
  compute(
    'VUID-vkResetCommandPool-commandPool-00040',
    'vkResetCommandPool',
    'cmdbuffers',
    'no command buffer of the pool is pending',
  ),
  compute(
    'VUID-vkDestroyCommandPool-commandPool-00041',
    'vkDestroyCommandPool',
    'cmdbuffers',
    'no command buffer of the pool is pending',
  ),

  // Recording: every vkCmd* needs a recording command buffer
  compute(
    'VUID-vkCmdBindPipeline-commandBuffer-recording',
    'vkCmdBindPipeline',
    'pipelines',
    'the command buffer is recording',
  ),
  compute(
    'VUID-vkCmdBindDescriptorSets-commandBuffer-recording',
    'vkCmdBindDescriptorSets',
    'descriptorsets',
    'the command buffer is recording',
  ),
  compute(
    'VUID-vkCmdPushConstants-commandBuffer-recording',
    'vkCmdPushConstants',
    'descriptorsets',
    'the command buffer is recording',
  ),
  compute('VUID-vkCmdDispatch-commandBuffer-recording', 'vkCmdDispatch', 'dispatch', 'the command buffer is recording'),
  compute(
    'VUID-vkCmdPipelineBarrier-commandBuffer-recording',
    'vkCmdPipelineBarrier',
    'synchronization',
    'the command buffer is recording',
  ),
  compute(
    'VUID-vkCmdCopyBuffer-commandBuffer-recording',
    'vkCmdCopyBuffer',
    'copies',
    'the command buffer is recording',
  ),
  compute(
    'VUID-vkCmdFillBuffer-commandBuffer-recording',
    'vkCmdFillBuffer',
    'clears',
    'the command buffer is recording',
  ),

  // vkCmdDispatch
  compute(
    'VUID-vkCmdDispatch-groupCountX-00386',
    'vkCmdDispatch',
    'dispatch',
    'groupCountX is at most maxComputeWorkGroupCount[0]',
  ),
  compute(
    'VUID-vkCmdDispatch-groupCountY-00387',
    'vkCmdDispatch',
    'dispatch',
    'groupCountY is at most maxComputeWorkGroupCount[1]',
  ),
  compute(
    'VUID-vkCmdDispatch-groupCountZ-00388',
    'vkCmdDispatch',
    'dispatch',
    'groupCountZ is at most maxComputeWorkGroupCount[2]',
  ),
  compute('VUID-vkCmdDispatch-None-02700', 'vkCmdDispatch', 'dispatch', 'a compute pipeline is bound'),
  compute(
    'VUID-vkCmdDispatch-None-02697',
    'vkCmdDispatch',
    'dispatch',
    'each set of the bound pipeline’s layout has a compatible descriptor set bound',
  ),
  compute(
    'VUID-vkCmdDispatch-None-02699',
    'vkCmdDispatch',
    'dispatch',
    'the descriptors of the bound sets are valid: written, with buffers that are live and bound to live memory',
  ),

  // vkQueueSubmit, fences
  compute('VUID-vkQueueSubmit-fence-00063', 'vkQueueSubmit', 'cmdbuffers', 'the fence is unsignaled'),
  compute(
    'VUID-vkQueueSubmit-fence-00064',
    'vkQueueSubmit',
    'cmdbuffers',
    'the fence is not waiting for another submission',
  ),
  compute(
    'VUID-vkQueueSubmit-pCommandBuffers-00070',
    'vkQueueSubmit',
    'cmdbuffers',
    'each command buffer is executable (or pending)',
  ),
  compute(
    'VUID-vkQueueSubmit-pCommandBuffers-00071',
    'vkQueueSubmit',
    'cmdbuffers',
    'no command buffer is pending, nor submitted twice in one call (vkmap has no SIMULTANEOUS_USE)',
  ),
  compute(
    'VUID-vkQueueSubmit-pCommandBuffers-00074',
    'vkQueueSubmit',
    'cmdbuffers',
    'each command buffer’s pool is of the queue’s family',
  ),
  unassigned(
    'UNASSIGNED-DrawState-CommandBufferSingleSubmitViolation',
    'vkQueueSubmit',
    'Vulkan 1.0',
    'a ONE_TIME_SUBMIT command buffer is submitted once per recording',
    { chapter: 'cmdbuffers', group: 'compute' },
  ),
  compute(
    'VUID-vkResetFences-pFences-01123',
    'vkResetFences',
    'synchronization',
    'no fence being reset is waiting for a submission',
  ),
  compute(
    'VUID-vkDestroyFence-fence-01120',
    'vkDestroyFence',
    'synchronization',
    'no submission will signal the fence',
  ),

  // ---- Host access to mapped memory: vkmap's own hazards ---------------------------------------------
  hazard(
    'VKMAP-HOST-unflushed-write',
    'vkQueueSubmit',
    'bytes the host wrote to non-coherent memory and did not flush are read by the submitted work',
  ),
  hazard(
    'VKMAP-HOST-read-before-wait',
    'host read',
    'the host reads bytes that a submission writes before its fence was waited (or its queue or the device idle)',
  ),
  hazard(
    'VKMAP-HOST-read-without-host-barrier',
    'host read',
    'the host reads bytes a submission wrote that no barrier to VK_PIPELINE_STAGE_HOST_BIT / VK_ACCESS_HOST_READ_BIT made available to it',
  ),
  hazard(
    'VKMAP-HOST-read-without-invalidate',
    'host read',
    'the host reads non-coherent bytes a submission wrote without invalidating them after the wait',
  ),
  hazard(
    'VKMAP-HOST-write-while-pending',
    'host write',
    'the host writes bytes that a pending submission reads or writes',
  ),
  hazard(
    'VKMAP-HOST-unmap-while-pending',
    'vkUnmapMemory',
    'a mapping is ended (unmapped, or its memory freed) while pending work reads or writes bytes of it',
  ),
] as const satisfies readonly VuidEntry[];

/** The name of a rule the layer knows, in its current spelling. */
export type VuidId = (typeof VUID_CATALOGUE)[number]['id'];

/** Scopes whose rules VK_KHR_map_memory2 spelled with KHR before Vulkan 1.4. */
type KhrScope = 'vkMapMemory2' | 'vkUnmapMemory2' | 'VkMemoryMapInfo' | 'VkMemoryUnmapInfo';
type KhrSpelling<Id> = Id extends `VUID-${infer Scope extends KhrScope}-${infer Rest}`
  ? `VUID-${Scope}KHR-${Rest}`
  : never;

/** The pre-1.4 (VK_KHR_map_memory2) spelling of a rule, as `reportKhrAliases` reports it. */
export type VuidKhrAlias = KhrSpelling<VuidId>;

/** Every identifier the layer can report: a rule's current name or its KHR spelling. (A former number is known, but never reported.) */
export type KnownVuid = VuidId | VuidKhrAlias;

const SPEC_BASE = 'https://docs.vulkan.org/spec/latest/chapters';

/** Where the README documents the host-access hazards. */
const HAZARDS_URL = 'https://github.com/vkmap/vkmap/tree/main/packages/core#host-access-hazards';

/** Each identifier, KHR spellings and former numbers included, with its entry and its link. */
const byId = new Map<string, { readonly entry: VuidEntry; readonly url: string }>();
for (const e of VUID_CATALOGUE as readonly VuidEntry[]) {
  // Unassigned identifiers have no anchor of their own: they link to the section of their structure.
  const url = e.hazard ? HAZARDS_URL : `${SPEC_BASE}/${e.chapter}.html#${e.unassigned ? e.scope : e.id}`;
  byId.set(e.id, { entry: e, url });
  // The KHR spellings left the specification when the extension became core, and renumbered rules keep only
  // their new number: both link to the current rule.
  // A former number that said several of today's rules at once links to the first of them.
  for (const alias of [...e.khrAliases, ...e.renamedFrom]) if (!byId.has(alias)) byId.set(alias, { entry: e, url });
}

function lookup(id: string): { readonly entry: VuidEntry; readonly url: string } {
  const found = byId.get(id);
  if (!found) throw new VkmapArgumentError('id', `${String(id)} is not a rule of the validation layer's catalogue`);
  return found;
}

/** The catalogue entry of a rule; a KHR spelling gives the entry of its 1.4 rule. */
export function vuidEntry(id: KnownVuid): VuidEntry {
  return lookup(id).entry;
}

/** Whether the layer can report `id`: a catalogued rule, unassigned identifier or KHR spelling. */
export function isKnownVuid(id: string): id is KnownVuid {
  return byId.has(id);
}

/**
 * The specification anchor of a rule, e.g.
 * https://docs.vulkan.org/spec/latest/chapters/memory.html#VUID-vkMapMemory-memory-00678; a KHR spelling
 * links to its 1.4 rule, an unassigned identifier to its structure's section (memory.html#VkMappedMemoryRange).
 */
export function vuidUrl(id: KnownVuid): string {
  return lookup(id).url;
}
