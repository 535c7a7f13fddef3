/**
 * The commands vkmap offers (the memory-mapping family and the compute subset), one entry each, with every
 * fact about a command that code elsewhere needs: its specification chapter, the object it is called on,
 * what makes it available on a device, the error and success results the specification lists, whether a
 * backend may inject its failure, the parameter under which each of its structures is named, and how the
 * checked front answers those of its valid-usage rules that it does not refuse as misuse.
 * Every other table about commands is derived from this one: `COMMAND_ERROR_RESULTS`, `FaultableCommand`,
 * `isDeviceCommandAvailable`, `handleParameterOf`, the front's error wording. The VUIDs themselves live in the catalogue
 * (validation/vuids.ts), each under the command or structure it belongs to.
 */
import {
  apiVersionMajorMinor,
  formatApiVersion,
  VK_API_VERSION_1_4,
  VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME,
  VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
} from './constants.js';
import { VkmapStateError } from './errors.js';
import type { VkResultName } from './vk-result.js';

/** The specification chapter (page) a command is specified in. */
export type CommandChapter =
  | 'initialization'
  | 'devsandqueues'
  | 'memory'
  | 'resources'
  | 'shaders'
  | 'pipelines'
  | 'descriptorsets'
  | 'cmdbuffers'
  | 'synchronization'
  | 'dispatch'
  | 'copies'
  | 'clears';

/**
 * The object a command is called on (its first parameter, as vk.xml declares it): 'global' for
 * vkCreateInstance. Device-level commands (what vkGetDeviceProcAddr resolves) are those of a device, a
 * queue or a command buffer.
 */
export type CommandLevel = 'global' | 'instance' | 'physical-device' | 'device' | 'queue' | 'command-buffer';

/**
 * How the front answers a rule of the command when a call breaks it (when the rule is not listed, the
 * front refuses the call with `VkmapArgumentError`):
 * - 'state': `VkmapStateError` (the argument is well formed, but the object is in the wrong state; a
 *   handle that is freed or of another device is one too, whatever the rule);
 * - 'layer': the front lets the call through; only the validation layer reports the rule (a backend
 *   handles the call safely, as drivers do, e.g. by rounding a range to whole atoms);
 * - a result name: the front fails the call with that `VkError`, as a driver would, without calling the
 *   backend (the call could only fail, and the backend need not see invalid usage).
 */
export type FrontAnswer = 'state' | 'layer' | VkResultName;

export interface CommandFacts {
  readonly chapter: CommandChapter;
  readonly level: CommandLevel;
  /** Available from this core version, or (`extension`) while that extension is enabled; neither: always. */
  readonly version?: number;
  readonly extension?: string;
  /** The command this one is another entry point of (a KHR name): same rules, results and faults. */
  readonly aliasOf?: string;
  /** vk.xml's `errorcodes`, without VK_ERROR_UNKNOWN and VK_ERROR_VALIDATION_FAILED (any command may return those). */
  readonly errorResults: readonly VkResultName[];
  /** vk.xml's `successcodes` other than VK_SUCCESS; absent when VK_SUCCESS is the only one. */
  readonly successResults?: readonly VkResultName[];
  /** Whether a backend with fault injection can make this command fail (aliases fail as their command). */
  readonly faultable: boolean;
  /** Each structure the command reads, and the parameter path misuse errors name its members by. */
  readonly structures: Readonly<Record<string, string>>;
  /** The front's answer to rules it does not refuse as a malformed argument (by VUID). */
  readonly front: Readonly<Record<string, FrontAnswer>>;
}

const DESTROYED = { 'device-parameter': 'state' } as const;
const MAP_RESULTS = [
  'VK_ERROR_OUT_OF_HOST_MEMORY',
  'VK_ERROR_OUT_OF_DEVICE_MEMORY',
  'VK_ERROR_MEMORY_MAP_FAILED',
] as const;
const RANGE_RESULTS = ['VK_ERROR_OUT_OF_HOST_MEMORY', 'VK_ERROR_OUT_OF_DEVICE_MEMORY'] as const;

const MAP_INFO = { VkMemoryMapInfo: 'pMemoryMapInfo', VkMemoryMapPlacedInfoEXT: 'VkMemoryMapPlacedInfoEXT' } as const;
const MAP2_FRONT = {
  ...DESTROYED,
  'VUID-VkMemoryMapInfo-memory-07958': 'state',
  // The backend finds the overlap with a live mapping and fails the map, as the address space would.
  'VUID-VkMemoryMapPlacedInfoEXT-pPlacedAddress-09578': 'layer',
} as const;
const UNMAP_INFO = { VkMemoryUnmapInfo: 'pMemoryUnmapInfo' } as const;
const UNMAP2_FRONT = {
  ...DESTROYED,
  'VUID-VkMemoryUnmapInfo-memory-07964': 'state',
} as const;
const RANGES_FRONT = {
  ...DESTROYED,
  'VUID-VkMappedMemoryRange-memory-00684': 'state',
  // An empty array asks for nothing. A range off the atom grid (00687, 01389, 01390) is refused like any
  // other malformed range: a driver given one may write back or discard bytes outside what was asked.
  'memoryRangeCount-arraylength': 'layer',
} as const;

// The compute chapters. Results are vk.xml's `errorcodes` and `successcodes` for each command, less
// VK_ERROR_UNKNOWN and VK_ERROR_VALIDATION_FAILED (as above), with extension aliases by their core names.
const HOST_DEVICE = ['VK_ERROR_OUT_OF_HOST_MEMORY', 'VK_ERROR_OUT_OF_DEVICE_MEMORY'] as const;
const HOST_DEVICE_LOST = [...HOST_DEVICE, 'VK_ERROR_DEVICE_LOST'] as const;
const ON_QUEUE = { 'queue-parameter': 'state' } as const;
const ON_COMMAND_BUFFER = { 'commandBuffer-parameter': 'state' } as const;

/**
 * A device-level command of the compute chapters. The front answers its rules itself, from the rule functions
 * it shares with the validation layer (front/compute-rules.ts, front/command-buffer-state.ts), each error
 * ending with its VUID.
 */
function computeCommand<
  const C extends CommandChapter,
  const L extends 'device' | 'queue' | 'command-buffer',
  const E extends readonly VkResultName[],
  const S extends Readonly<Record<string, string>>,
>(chapter: C, level: L, errorResults: E, structures: S) {
  return {
    chapter,
    level,
    errorResults,
    faultable: false,
    structures,
    front: level === 'device' ? DESTROYED : level === 'queue' ? ON_QUEUE : ON_COMMAND_BUFFER,
  } as const;
}

export const COMMANDS = {
  vkCreateInstance: {
    chapter: 'initialization',
    level: 'global',
    errorResults: [
      'VK_ERROR_OUT_OF_HOST_MEMORY',
      'VK_ERROR_OUT_OF_DEVICE_MEMORY',
      'VK_ERROR_INITIALIZATION_FAILED',
      'VK_ERROR_LAYER_NOT_PRESENT',
      'VK_ERROR_EXTENSION_NOT_PRESENT',
      'VK_ERROR_INCOMPATIBLE_DRIVER',
    ],
    faultable: false,
    structures: {},
    front: {},
  },
  vkCreateDevice: {
    chapter: 'devsandqueues',
    level: 'physical-device',
    errorResults: [
      'VK_ERROR_OUT_OF_HOST_MEMORY',
      'VK_ERROR_OUT_OF_DEVICE_MEMORY',
      'VK_ERROR_INITIALIZATION_FAILED',
      'VK_ERROR_EXTENSION_NOT_PRESENT',
      'VK_ERROR_FEATURE_NOT_PRESENT',
      'VK_ERROR_TOO_MANY_OBJECTS',
      'VK_ERROR_DEVICE_LOST',
    ],
    faultable: false,
    structures: { VkDeviceCreateInfo: 'pCreateInfo' },
    front: {},
  },
  vkAllocateMemory: {
    chapter: 'memory',
    level: 'device',
    errorResults: [
      'VK_ERROR_OUT_OF_HOST_MEMORY',
      'VK_ERROR_OUT_OF_DEVICE_MEMORY',
      'VK_ERROR_INVALID_EXTERNAL_HANDLE',
      'VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS',
      'VK_ERROR_TOO_MANY_OBJECTS',
    ],
    faultable: true,
    structures: { VkMemoryAllocateInfo: 'pAllocateInfo', VkMemoryAllocateFlagsInfo: 'VkMemoryAllocateFlagsInfo' },
    front: {
      ...DESTROYED,
      // An allocation larger than its heap, or past the live-allocation limit, could only fail.
      'VUID-vkAllocateMemory-pAllocateInfo-01713': 'VK_ERROR_OUT_OF_DEVICE_MEMORY',
      'VUID-vkAllocateMemory-maxMemoryAllocationCount-04101': 'VK_ERROR_TOO_MANY_OBJECTS',
    },
  },
  vkFreeMemory: {
    chapter: 'memory',
    level: 'device',
    errorResults: [],
    faultable: false,
    structures: {},
    front: DESTROYED,
  },
  vkMapMemory: {
    chapter: 'memory',
    level: 'device',
    errorResults: MAP_RESULTS,
    faultable: true,
    structures: {},
    front: {
      ...DESTROYED,
      'VUID-vkMapMemory-memory-00678': 'state',
    },
  },
  vkMapMemory2: {
    chapter: 'memory',
    level: 'device',
    version: VK_API_VERSION_1_4,
    errorResults: MAP_RESULTS,
    faultable: true,
    structures: MAP_INFO,
    front: MAP2_FRONT,
  },
  vkMapMemory2KHR: {
    chapter: 'memory',
    level: 'device',
    extension: VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
    aliasOf: 'vkMapMemory2',
    errorResults: MAP_RESULTS,
    faultable: true,
    structures: MAP_INFO,
    front: MAP2_FRONT,
  },
  vkUnmapMemory: {
    chapter: 'memory',
    level: 'device',
    errorResults: [],
    faultable: false,
    structures: {},
    front: {
      ...DESTROYED,
      'VUID-vkUnmapMemory-memory-00689': 'state',
    },
  },
  vkUnmapMemory2: {
    chapter: 'memory',
    level: 'device',
    version: VK_API_VERSION_1_4,
    errorResults: ['VK_ERROR_MEMORY_MAP_FAILED'],
    faultable: true,
    structures: UNMAP_INFO,
    front: UNMAP2_FRONT,
  },
  vkUnmapMemory2KHR: {
    chapter: 'memory',
    level: 'device',
    extension: VK_KHR_MAP_MEMORY_2_EXTENSION_NAME,
    aliasOf: 'vkUnmapMemory2',
    errorResults: ['VK_ERROR_MEMORY_MAP_FAILED'],
    faultable: true,
    structures: UNMAP_INFO,
    front: UNMAP2_FRONT,
  },
  vkFlushMappedMemoryRanges: {
    chapter: 'memory',
    level: 'device',
    errorResults: RANGE_RESULTS,
    faultable: true,
    structures: { VkMappedMemoryRange: 'pMemoryRanges[]' },
    front: RANGES_FRONT,
  },
  vkInvalidateMappedMemoryRanges: {
    chapter: 'memory',
    level: 'device',
    errorResults: RANGE_RESULTS,
    faultable: true,
    structures: { VkMappedMemoryRange: 'pMemoryRanges[]' },
    front: RANGES_FRONT,
  },
  vkGetPhysicalDeviceQueueFamilyProperties: {
    chapter: 'devsandqueues',
    level: 'physical-device',
    errorResults: [],
    faultable: false,
    structures: {},
    front: {},
  },
  vkGetDeviceQueue: computeCommand('devsandqueues', 'device', [], {}),
  vkQueueSubmit: computeCommand('cmdbuffers', 'queue', HOST_DEVICE_LOST, { VkSubmitInfo: 'pSubmits[]' }),
  vkQueueWaitIdle: computeCommand('synchronization', 'queue', HOST_DEVICE_LOST, {}),
  vkDeviceWaitIdle: computeCommand('synchronization', 'device', HOST_DEVICE_LOST, {}),
  vkCreateBuffer: computeCommand('resources', 'device', [...HOST_DEVICE, 'VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS'], {
    VkBufferCreateInfo: 'pCreateInfo',
  }),
  vkDestroyBuffer: computeCommand('resources', 'device', [], {}),
  vkGetBufferMemoryRequirements: computeCommand('resources', 'device', [], {}),
  vkBindBufferMemory: computeCommand(
    'resources',
    'device',
    [...HOST_DEVICE, 'VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS'],
    {},
  ),
  vkCreateShaderModule: computeCommand('shaders', 'device', [...HOST_DEVICE, 'VK_ERROR_INVALID_SHADER_NV'], {
    VkShaderModuleCreateInfo: 'pCreateInfo',
  }),
  vkDestroyShaderModule: computeCommand('shaders', 'device', [], {}),
  vkCreateDescriptorSetLayout: computeCommand('descriptorsets', 'device', HOST_DEVICE, {
    VkDescriptorSetLayoutCreateInfo: 'pCreateInfo',
    VkDescriptorSetLayoutBinding: 'pCreateInfo.bindings[]',
  }),
  vkDestroyDescriptorSetLayout: computeCommand('descriptorsets', 'device', [], {}),
  vkCreatePipelineLayout: computeCommand('descriptorsets', 'device', HOST_DEVICE, {
    VkPipelineLayoutCreateInfo: 'pCreateInfo',
    VkPushConstantRange: 'pCreateInfo.pushConstantRanges[]',
  }),
  vkDestroyPipelineLayout: computeCommand('descriptorsets', 'device', [], {}),
  vkCreateComputePipelines: {
    ...computeCommand('pipelines', 'device', [...HOST_DEVICE, 'VK_ERROR_INVALID_SHADER_NV'], {
      VkComputePipelineCreateInfo: 'pCreateInfos[]',
      VkPipelineShaderStageCreateInfo: 'pCreateInfos[].stage',
      VkSpecializationInfo: 'pCreateInfos[].stage.specializationInfo',
    }),
    successResults: ['VK_PIPELINE_COMPILE_REQUIRED'],
  },
  vkDestroyPipeline: computeCommand('pipelines', 'device', [], {}),
  vkCreateDescriptorPool: computeCommand('descriptorsets', 'device', [...HOST_DEVICE, 'VK_ERROR_FRAGMENTATION'], {
    VkDescriptorPoolCreateInfo: 'pCreateInfo',
    VkDescriptorPoolSize: 'pCreateInfo.poolSizes[]',
  }),
  vkDestroyDescriptorPool: computeCommand('descriptorsets', 'device', [], {}),
  vkAllocateDescriptorSets: computeCommand(
    'descriptorsets',
    'device',
    [...HOST_DEVICE, 'VK_ERROR_FRAGMENTED_POOL', 'VK_ERROR_OUT_OF_POOL_MEMORY'],
    { VkDescriptorSetAllocateInfo: 'pAllocateInfo' },
  ),
  vkFreeDescriptorSets: computeCommand('descriptorsets', 'device', [], {}),
  vkUpdateDescriptorSets: computeCommand('descriptorsets', 'device', [], {
    VkWriteDescriptorSet: 'pDescriptorWrites[]',
    VkDescriptorBufferInfo: 'pDescriptorWrites[].bufferInfo[]',
  }),
  vkCreateCommandPool: computeCommand('cmdbuffers', 'device', HOST_DEVICE, { VkCommandPoolCreateInfo: 'pCreateInfo' }),
  vkDestroyCommandPool: computeCommand('cmdbuffers', 'device', [], {}),
  vkResetCommandPool: computeCommand('cmdbuffers', 'device', ['VK_ERROR_OUT_OF_DEVICE_MEMORY'], {}),
  vkAllocateCommandBuffers: computeCommand('cmdbuffers', 'device', HOST_DEVICE, {
    VkCommandBufferAllocateInfo: 'pAllocateInfo',
  }),
  vkFreeCommandBuffers: computeCommand('cmdbuffers', 'device', [], {}),
  vkBeginCommandBuffer: computeCommand('cmdbuffers', 'command-buffer', HOST_DEVICE, {
    VkCommandBufferBeginInfo: 'pBeginInfo',
  }),
  vkEndCommandBuffer: computeCommand(
    'cmdbuffers',
    'command-buffer',
    [...HOST_DEVICE, 'VK_ERROR_INVALID_VIDEO_STD_PARAMETERS_KHR'],
    {},
  ),
  vkResetCommandBuffer: computeCommand('cmdbuffers', 'command-buffer', ['VK_ERROR_OUT_OF_DEVICE_MEMORY'], {}),
  vkCmdBindPipeline: computeCommand('pipelines', 'command-buffer', [], {}),
  vkCmdBindDescriptorSets: computeCommand('descriptorsets', 'command-buffer', [], {}),
  vkCmdPushConstants: computeCommand('descriptorsets', 'command-buffer', [], {}),
  vkCmdDispatch: computeCommand('dispatch', 'command-buffer', [], {}),
  vkCmdPipelineBarrier: computeCommand('synchronization', 'command-buffer', [], {
    VkMemoryBarrier: 'pMemoryBarriers[]',
    VkBufferMemoryBarrier: 'pBufferMemoryBarriers[]',
  }),
  vkCmdCopyBuffer: computeCommand('copies', 'command-buffer', [], { VkBufferCopy: 'pRegions[]' }),
  vkCmdFillBuffer: computeCommand('clears', 'command-buffer', [], {}),
  vkCreateFence: computeCommand('synchronization', 'device', HOST_DEVICE, { VkFenceCreateInfo: 'pCreateInfo' }),
  vkDestroyFence: computeCommand('synchronization', 'device', [], {}),
  vkResetFences: computeCommand('synchronization', 'device', ['VK_ERROR_OUT_OF_DEVICE_MEMORY'], {}),
  vkGetFenceStatus: {
    ...computeCommand('synchronization', 'device', HOST_DEVICE_LOST, {}),
    successResults: ['VK_NOT_READY'],
  },
  vkWaitForFences: {
    ...computeCommand('synchronization', 'device', HOST_DEVICE_LOST, {}),
    successResults: ['VK_TIMEOUT'],
  },
} as const satisfies Record<string, CommandFacts>;

export type CommandName = keyof typeof COMMANDS;
type Table = typeof COMMANDS;

/** Commands whose failure a backend can inject; an alias fails as its command ('vkMapMemory2' covers the KHR name). */
export type FaultableCommand = {
  [K in CommandName]: Table[K] extends { readonly faultable: true }
    ? Table[K] extends { readonly aliasOf: string }
      ? never
      : K
    : never;
}[CommandName];

/** A fault-injection target: a command, or a group ('allocate': vkAllocateMemory; 'map': both map commands). */
export type FaultTarget = FaultableCommand | 'allocate' | 'map';

/** The commands whose failure can be injected, in table order. */
export const FAULTABLE_COMMANDS = (Object.keys(COMMANDS) as CommandName[]).filter(
  (name): name is FaultableCommand => COMMANDS[name].faultable && !('aliasOf' in COMMANDS[name]),
);

/** The error results each command may return, as the specification lists them. Backends return nothing else. */
export const COMMAND_ERROR_RESULTS: { readonly [K in CommandName]: Table[K]['errorResults'] } = Object.fromEntries(
  Object.entries(COMMANDS).map(([name, facts]) => [name, facts.errorResults]),
) as { readonly [K in CommandName]: Table[K]['errorResults'] };

export type FamilyCommand = CommandName;

export function commandFacts(name: string): CommandFacts | undefined {
  return Object.hasOwn(COMMANDS, name) ? (COMMANDS as Record<string, CommandFacts>)[name] : undefined;
}

const DEVICE_LEVELS: ReadonlySet<CommandLevel> = new Set(['device', 'queue', 'command-buffer']);

/** Whether `name` is a device command of the family available at this API version with these extensions. */
export function isDeviceCommandAvailable(
  name: string,
  apiVersion: number,
  enabledExtensions: ReadonlySet<string>,
): boolean {
  const facts = commandFacts(name);
  if (facts === undefined || !DEVICE_LEVELS.has(facts.level)) return false;
  if (facts.version !== undefined && apiVersionMajorMinor(apiVersion) < facts.version) return false;
  if (facts.extension !== undefined && !enabledExtensions.has(facts.extension)) return false;
  return true;
}

/**
 * The parameter that names the object a device-level command is called on: `device`, `queue` or
 * `commandBuffer` (a destroyed device is reported under it, as the `-parameter` rule of that handle).
 */
export function handleParameterOf(name: string): 'device' | 'queue' | 'commandBuffer' {
  const level = commandFacts(name)?.level;
  return level === 'queue' ? 'queue' : level === 'command-buffer' ? 'commandBuffer' : 'device';
}

/** How the front answers a rule of `command` (undefined: refused as a malformed argument). */
export function frontAnswer(command: string, vuid: string): FrontAnswer | undefined {
  const front = commandFacts(command)?.front;
  if (!front) return undefined;
  if (Object.hasOwn(front, vuid)) return front[vuid];
  // Rules every command shares are listed by their tail ('device-parameter').
  const tail = vuid.split('-').slice(-2).join('-');
  return Object.hasOwn(front, tail) ? front[tail] : undefined;
}

/** Extensions of the family and the versions or extensions they depend on. */
export const EXTENSION_DEPENDENCIES: Readonly<
  Record<string, { readonly orVersion?: number; readonly extensions: readonly string[] }>
> = {
  [VK_EXT_MAP_MEMORY_PLACED_EXTENSION_NAME]: {
    orVersion: VK_API_VERSION_1_4,
    extensions: [VK_KHR_MAP_MEMORY_2_EXTENSION_NAME],
  },
};

/**
 * A device-level command that the device does not provide has no function pointer in C, so calling it is
 * not a valid-usage question: it throws `VkmapStateError` in every mode, from the front and the layer alike.
 */
export function unavailableCommandError(
  command: string,
  apiVersion: number,
  enabledExtensions: ReadonlySet<string>,
): VkmapStateError {
  const version = formatApiVersion(apiVersion);
  const core = command.endsWith('KHR') ? command.slice(0, -3) : command;
  const hasCore = apiVersionMajorMinor(apiVersion) >= (commandFacts(core)?.version ?? Infinity);
  const hasKhr = enabledExtensions.has(VK_KHR_MAP_MEMORY_2_EXTENSION_NAME);
  const hint = command.endsWith('KHR')
    ? `it needs ${VK_KHR_MAP_MEMORY_2_EXTENSION_NAME} enabled at device creation${hasCore ? `; this Vulkan ${version} device has the core ${core}` : ''}`
    : `it is core in Vulkan 1.4 and this device runs Vulkan ${version}; ${
        hasKhr
          ? `call ${command}KHR (${VK_KHR_MAP_MEMORY_2_EXTENSION_NAME} is enabled)`
          : `enable ${VK_KHR_MAP_MEMORY_2_EXTENSION_NAME} and call ${command}KHR`
      }`;
  return new VkmapStateError(`${command} is not available on this device: ${hint}`);
}
