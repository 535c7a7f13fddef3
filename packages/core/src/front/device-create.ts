/**
 * vkCreateDevice's checks, once for every backend: the create info's shape, the queues to create (or the
 * default one), each extension offered and its dependencies enabled, each feature known, its extension
 * enabled and the feature supported.
 */
import type { DeviceRequest, PhysicalDeviceDescription } from '../backend/index.js';
import { EXTENSION_DEPENDENCIES } from '../commands.js';
import { apiVersionMajorMinor, formatApiVersion, VkQueueFlagBits } from '../constants.js';
import { describeValue, toUint32 } from '../device-size.js';
import { VkError, VkmapArgumentError } from '../errors.js';
import {
  completeFeatures,
  FEATURE_STRUCTURES,
  type EnabledFeatures,
  type FeatureStructureKey,
} from '../structures/features.js';
import type { ValidationLayerOptions } from '../validation-options.js';
import type { ViewLifetime } from '../contract/index.js';

/** A checked create info: what the backend is asked for, and the layer to put on top. */
export interface CheckedDeviceCreateInfo {
  readonly request: DeviceRequest;
  readonly validation: ValidationLayerOptions | undefined;
}

function isStructure(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a snapshot of a DeviceCreateInfo against a physical device. */
export function checkDeviceCreateInfo(
  description: PhysicalDeviceDescription,
  instanceApiVersion: number,
  info: unknown,
): CheckedDeviceCreateInfo {
  if (!isStructure(info))
    throw new VkmapArgumentError('pCreateInfo', `must be a DeviceCreateInfo object (got ${describeValue(info)})`);
  const apiVersion = Math.min(instanceApiVersion, description.properties.apiVersion);
  const queues = checkQueues(description, info.queueCreateInfos);
  const extensions = checkExtensions(description, apiVersion, info.enabledExtensionNames);
  const features = checkFeatures(description, extensions, info.enabledFeatures);
  const validation = info.validation;
  if (validation !== undefined && typeof validation !== 'boolean' && !isStructure(validation)) {
    throw new VkmapArgumentError(
      'pCreateInfo.validation',
      `must be a boolean or ValidationLayerOptions (got ${describeValue(validation)})`,
    );
  }
  const views = checkViews(info.views);
  return {
    request: { apiVersion, extensions, features, queues, views },
    validation:
      validation === true
        ? {}
        : validation === false || validation === undefined
          ? undefined
          : (validation as ValidationLayerOptions),
  };
}

/** The view lifetime: the option, else VKMAP_VIEWS, else 'stable'. */
function checkViews(option: unknown): ViewLifetime {
  if (option === 'stable' || option === 'detach') return option;
  if (option !== undefined) {
    throw new VkmapArgumentError('pCreateInfo.views', `must be 'stable' or 'detach' (got ${describeValue(option)})`);
  }
  const fromEnvironment = typeof process === 'undefined' ? undefined : process.env.VKMAP_VIEWS;
  if (fromEnvironment === undefined || fromEnvironment === '') return 'stable';
  if (fromEnvironment === 'stable' || fromEnvironment === 'detach') return fromEnvironment;
  throw new VkmapArgumentError('VKMAP_VIEWS', `must be 'stable' or 'detach' (got '${fromEnvironment}')`);
}

/**
 * The queues to create: each entry a family of the physical device, at most once, with 1 to queueCount
 * priorities in [0, 1]. Without `queueCreateInfos`, one queue of the first family with
 * VK_QUEUE_COMPUTE_BIT (never assumed to be family 0), or none where no family has it.
 */
function checkQueues(description: PhysicalDeviceDescription, infos: unknown): DeviceRequest['queues'] {
  const families = description.queueFamilies;
  if (infos === undefined) {
    const compute = families.findIndex((f) => (f.queueFlags & VkQueueFlagBits.VK_QUEUE_COMPUTE_BIT) !== 0);
    return Object.freeze(compute < 0 ? [] : [Object.freeze({ queueFamilyIndex: compute, priorities: [1] })]);
  }
  if (!Array.isArray(infos)) {
    throw new VkmapArgumentError(
      'pCreateInfo.queueCreateInfos',
      `must be an array of DeviceQueueCreateInfo objects (got ${describeValue(infos)})`,
    );
  }
  const seen = new Map<number, number>();
  return Object.freeze(
    infos.map((info: unknown, i) => {
      const at = `pCreateInfo.queueCreateInfos[${i}]`;
      if (!isStructure(info))
        throw new VkmapArgumentError(at, `must be a DeviceQueueCreateInfo object (got ${describeValue(info)})`);
      const family = toUint32(info.queueFamilyIndex, `${at}.queueFamilyIndex`);
      if (family >= families.length) {
        throw new VkmapArgumentError(
          `${at}.queueFamilyIndex`,
          `${family} is not a queue family of ${description.properties.deviceName}, which has ${families.length} (VUID-VkDeviceQueueCreateInfo-queueFamilyIndex-00381)`,
        );
      }
      const earlier = seen.get(family);
      if (earlier !== undefined) {
        throw new VkmapArgumentError(
          `${at}.queueFamilyIndex`,
          `family ${family} is already created by queueCreateInfos[${earlier}]; list each family once (VUID-VkDeviceCreateInfo-queueFamilyIndex-02802)`,
        );
      }
      seen.set(family, i);
      const priorities: unknown = info.queuePriorities;
      if (!Array.isArray(priorities)) {
        throw new VkmapArgumentError(
          `${at}.queuePriorities`,
          `must be an array of numbers in [0, 1], one per queue (got ${describeValue(priorities)})`,
        );
      }
      const queueCount = families[family]!.queueCount;
      if (priorities.length === 0 || priorities.length > queueCount) {
        throw new VkmapArgumentError(
          `${at}.queuePriorities`,
          `holds ${priorities.length} priorities, so asks for ${priorities.length} queues; family ${family} has 1 to ${queueCount} (VUID-VkDeviceQueueCreateInfo-queueCount-00382)`,
        );
      }
      priorities.forEach((priority: unknown, k) => {
        if (typeof priority !== 'number' || !(priority >= 0 && priority <= 1)) {
          throw new VkmapArgumentError(
            `${at}.queuePriorities[${k}]`,
            `must be a number in [0, 1] (got ${describeValue(priority)}) (VUID-VkDeviceQueueCreateInfo-pQueuePriorities-00383)`,
          );
        }
      });
      return Object.freeze({ queueFamilyIndex: family, priorities: Object.freeze([...(priorities as number[])]) });
    }),
  );
}

function checkExtensions(
  description: PhysicalDeviceDescription,
  apiVersion: number,
  names: unknown,
): ReadonlySet<string> {
  const enabled = new Set<string>();
  if (names === undefined) return enabled;
  if (!Array.isArray(names)) {
    throw new VkmapArgumentError(
      'pCreateInfo.enabledExtensionNames',
      `must be an array of extension names (got ${describeValue(names)})`,
    );
  }
  const offered = new Set(description.extensions.map((e) => e.extensionName));
  names.forEach((name: unknown, index) => {
    if (typeof name !== 'string') {
      throw new VkmapArgumentError(
        `pCreateInfo.enabledExtensionNames[${index}]`,
        `must be a string (got ${describeValue(name)})`,
      );
    }
    if (!offered.has(name)) {
      throw new VkError(
        'vkCreateDevice',
        'VK_ERROR_EXTENSION_NOT_PRESENT',
        `${description.properties.deviceName} does not offer ${name}`,
      );
    }
    enabled.add(name);
  });
  for (const name of enabled) {
    const dependency = EXTENSION_DEPENDENCIES[name];
    if (!dependency) continue;
    if (dependency.orVersion !== undefined && apiVersionMajorMinor(apiVersion) >= dependency.orVersion) continue;
    const missing = dependency.extensions.filter((needed) => !enabled.has(needed));
    if (missing.length > 0) {
      throw new VkmapArgumentError(
        'pCreateInfo.enabledExtensionNames',
        `${name} needs ${missing.join(' and ')} enabled too on this Vulkan ${formatApiVersion(apiVersion)} device ` +
          `(VUID-vkCreateDevice-ppEnabledExtensionNames-01387)`,
      );
    }
  }
  return enabled;
}

function checkFeatures(description: PhysicalDeviceDescription, extensions: ReadonlySet<string>, requested: unknown) {
  if (requested === undefined) return completeFeatures({});
  if (!isStructure(requested)) {
    throw new VkmapArgumentError(
      'pCreateInfo.enabledFeatures',
      `must be an object of feature structures (got ${describeValue(requested)})`,
    );
  }
  const known = Object.keys(FEATURE_STRUCTURES);
  for (const [key, structure] of Object.entries(requested)) {
    const where = `pCreateInfo.enabledFeatures.${key}`;
    if (!known.includes(key)) {
      throw new VkmapArgumentError(where, `is not a feature structure vkmap knows (known: ${known.join(', ')})`);
    }
    if (structure === undefined) continue;
    if (!isStructure(structure))
      throw new VkmapArgumentError(where, `must be an object of boolean members (got ${describeValue(structure)})`);
    const info = FEATURE_STRUCTURES[key as FeatureStructureKey];
    const supported = description.features[key as FeatureStructureKey] as unknown as Record<string, boolean>;
    for (const [member, value] of Object.entries(structure)) {
      if (!(info.members as readonly string[]).includes(member)) {
        throw new VkmapArgumentError(
          `${where}.${member}`,
          `is not a member of ${info.structure} (members: ${info.members.join(', ')})`,
        );
      }
      if (value !== undefined && typeof value !== 'boolean') {
        throw new VkmapArgumentError(`${where}.${member}`, `must be a boolean (got ${describeValue(value)})`);
      }
      if (value !== true) continue;
      if (!extensions.has(info.extension)) {
        throw new VkmapArgumentError(
          `${where}.${member}`,
          `needs ${info.extension} in enabledExtensionNames (VUID-VkDeviceCreateInfo-pNext-pNext)`,
        );
      }
      if (!supported[member]) {
        throw new VkError(
          'vkCreateDevice',
          'VK_ERROR_FEATURE_NOT_PRESENT',
          `${description.properties.deviceName} does not support ${member} (${info.structure})`,
        );
      }
    }
  }
  return completeFeatures(requested as EnabledFeatures);
}
