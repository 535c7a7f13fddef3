/**
 * The valid-usage rules (VUIDs) of the host memory mapping family that the validation layer knows, in
 * their Vulkan 1.4 spelling, with our own one-line description of each. Rules that cannot arise through
 * vkmap's API say why in `notApplicable`; every other rule is checked by the layer.
 *
 * The 78 rules of the family come first; `supplementary` marks real specification rules outside that
 * list which the layer reports for JavaScript misuse of vkAllocateMemory's argument (a missing info
 * object, a wrong sType, an unknown pNext structure), so that such misuse is never reported under a
 * rule that does not describe it. `unassigned` marks the identifiers that the Khronos validation layer
 * reports where the specification has no rule number (`UNASSIGNED-...`): a memory object of another
 * device in a structure whose implicit rules have no parent rule. They link to their structure's section.
 */
import { VkmapArgumentError } from '../errors.js';

/** The specification chapter (page) that holds a rule, for its link. */
export type SpecChapter = 'memory' | 'features' | 'limits';

export interface VuidEntry {
  /** The rule's current (Vulkan 1.4) name. */
  readonly id: string;
  /** The command or structure the rule belongs to. */
  readonly scope: string;
  readonly chapter: SpecChapter;
  /** What makes the rule exist: a core version or an extension. */
  readonly requires: string;
  readonly description: string;
  /** Its pre-1.4 names (VK_KHR_map_memory2 spellings). */
  readonly khrAliases: readonly string[];
  /** Why the rule cannot arise through vkmap's API; absent when the layer checks it. */
  readonly notApplicable?: string;
  /** A specification rule beyond the family's list of 78. */
  readonly supplementary?: true;
  /** An identifier of the Khronos validation layer (`UNASSIGNED-...`) where the specification numbers no rule. */
  readonly unassigned?: true;
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
  extra: Partial<Pick<VuidEntry, 'notApplicable' | 'supplementary' | 'chapter'>> & { khr?: boolean } = {},
): VuidEntry & { readonly id: Id } {
  const { khr, chapter = 'memory', ...rest } = extra;
  return {
    id,
    scope,
    chapter,
    requires,
    description,
    khrAliases: khr ? [id.replace(`VUID-${scope}-`, `VUID-${scope}KHR-`)] : [],
    ...rest,
  };
}

/** A check the specification leaves unnumbered, under the identifier the Khronos layer reports for it. */
function unassigned<Id extends `UNASSIGNED-${string}`>(
  id: Id,
  scope: string,
  requires: string,
  description: string,
): VuidEntry & { readonly id: Id } {
  return { id, scope, chapter: 'memory', requires, description, khrAliases: [], unassigned: true };
}

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
    'no pending GPU work may still use the memory',
    {
      notApplicable:
        'the contract has no queues, command buffers or resource binding yet, so no submitted work can refer to a memory object; revisit when compute dispatch lands',
    },
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

/** Every identifier the layer can report: a rule's current name or its KHR spelling. */
export type KnownVuid = VuidId | VuidKhrAlias;

const SPEC_BASE = 'https://docs.vulkan.org/spec/latest/chapters';

/** Each identifier, KHR spellings included, with its entry and its link. */
const byId = new Map<string, { readonly entry: VuidEntry; readonly url: string }>();
for (const e of VUID_CATALOGUE as readonly VuidEntry[]) {
  // Unassigned identifiers have no anchor of their own: they link to the section of their structure.
  const url = `${SPEC_BASE}/${e.chapter}.html#${e.unassigned ? e.scope : e.id}`;
  byId.set(e.id, { entry: e, url });
  // The KHR spellings left the specification when the extension became core: they link to the 1.4 rule.
  for (const alias of e.khrAliases) byId.set(alias, { entry: e, url });
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
