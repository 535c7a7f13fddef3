import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  FrontDevice,
  handleParameterOf,
  isDeviceCommandAvailable,
  VK_API_VERSION_1_0,
  type CommandFacts,
  type Device,
  type DeviceBufferCommands,
  type DeviceCommandBufferCommands,
  type DevicePipelineCommands,
  type DeviceQueueCommands,
} from '@vkmap/core';

/** The Vulkan registry, kept beside the repository (../shared/reference); the check skips where it is absent. */
const VK_XML =
  process.env.VKMAP_VK_XML ?? fileURLToPath(new URL('../../../../../shared/reference/vk.xml', import.meta.url));

/** The methods of the compute chapters' interfaces; the type below fails to compile when one is left out. */
const COMPUTE_METHODS = [
  'createBuffer',
  'destroyBuffer',
  'getBufferMemoryRequirements',
  'bindBufferMemory',
  'createShaderModule',
  'destroyShaderModule',
  'createDescriptorSetLayout',
  'destroyDescriptorSetLayout',
  'createPipelineLayout',
  'destroyPipelineLayout',
  'createComputePipelines',
  'destroyPipeline',
  'createDescriptorPool',
  'destroyDescriptorPool',
  'allocateDescriptorSets',
  'freeDescriptorSets',
  'updateDescriptorSets',
  'getDeviceQueue',
  'createCommandPool',
  'destroyCommandPool',
  'resetCommandPool',
  'allocateCommandBuffers',
  'freeCommandBuffers',
  'beginCommandBuffer',
  'endCommandBuffer',
  'resetCommandBuffer',
  'cmdBindPipeline',
  'cmdBindDescriptorSets',
  'cmdPushConstants',
  'cmdDispatch',
  'cmdPipelineBarrier',
  'cmdCopyBuffer',
  'cmdFillBuffer',
  'queueSubmit',
  'queueWaitIdle',
  'deviceWaitIdle',
  'createFence',
  'destroyFence',
  'resetFences',
  'getFenceStatus',
  'waitForFences',
  // The Promise form of vkWaitForFences.
  'waitForFencesAsync',
] as const satisfies readonly (keyof Device)[];
type ComputeMethod =
  | keyof DeviceBufferCommands
  | keyof DevicePipelineCommands
  | keyof DeviceCommandBufferCommands
  | keyof DeviceQueueCommands;
const everyMethodListed: Exclude<ComputeMethod, (typeof COMPUTE_METHODS)[number]> extends never ? true : never = true;

describe('the command table for the compute chapters', () => {
  it('has an entry for every command a device serves, each a device-level command available from Vulkan 1.0', () => {
    expect(everyMethodListed).toBe(true);
    const missing = COMPUTE_METHODS.map((name) => (name === 'waitForFencesAsync' ? 'waitForFences' : name))
      .map((name) => `vk${name[0]!.toUpperCase()}${name.slice(1)}`)
      .filter((command) => !(command in COMMANDS));
    expect(missing).toEqual([]);
    for (const name of COMPUTE_METHODS) expect(typeof FrontDevice.prototype[name], name).toBe('function');
    for (const name of ['vkQueueSubmit', 'vkCmdDispatch', 'vkCreateBuffer', 'vkWaitForFences'])
      expect(isDeviceCommandAvailable(name, VK_API_VERSION_1_0, new Set()), name).toBe(true);
    expect(isDeviceCommandAvailable('vkGetPhysicalDeviceQueueFamilyProperties', VK_API_VERSION_1_0, new Set())).toBe(
      false,
    );
    expect(handleParameterOf('vkCmdDispatch')).toBe('commandBuffer');
    expect(handleParameterOf('vkQueueSubmit')).toBe('queue');
    expect(handleParameterOf('vkCreateBuffer')).toBe('device');
  });

  // The registry is in ../shared/reference, which CI lays beside the clone; a bare clone has no copy.
  it.skipIf(!existsSync(VK_XML))(
    `lists the results vk.xml lists (less VK_ERROR_UNKNOWN and VK_ERROR_VALIDATION_FAILED)${existsSync(VK_XML) ? '' : ` (skipped: no Vulkan registry at ${VK_XML})`}`,
    () => {
      // The memory chapter's entries keep results the front answers with beyond vk.xml (vkAllocateMemory's
      // VK_ERROR_TOO_MANY_OBJECTS past maxMemoryAllocationCount); this checks the compute chapters.
      const xml = readFileSync(VK_XML, 'utf8');
      const registry = new Map<string, { success: string[]; errors: string[] }>();
      for (const [, attributes, name] of xml.matchAll(
        /<command ([^>]*)>\s*<proto>[^<]*<type>\w+<\/type>\s*<name>(\w+)<\/name>/g,
      )) {
        // Vulkan SC declares some commands again with its own results.
        if (/\bapi="vulkansc"/.test(attributes!)) continue;
        const codes = (attribute: string) =>
          new RegExp(`\\b${attribute}="([^"]*)"`).exec(attributes!)?.[1]?.split(',') ?? [];
        registry.set(name!, {
          success: codes('successcodes'),
          errors: codes('errorcodes'),
        });
      }
      // Extension spellings of results that are core now (VK_ERROR_FRAGMENTATION_EXT -> VK_ERROR_FRAGMENTATION).
      const aliases = new Map<string, string>();
      for (const [, name, alias] of xml.matchAll(/<enum[^>]*name="(VK_[A-Z_0-9]+)" alias="(VK_[A-Z_0-9]+)"/g))
        aliases.set(name!, alias!);
      const core = (result: string) => aliases.get(result) ?? result;
      const compute = (Object.entries(COMMANDS) as [string, CommandFacts][]).filter(
        ([, facts]) =>
          facts.chapter !== 'memory' && facts.chapter !== 'initialization' && facts.level !== 'physical-device',
      );
      expect(compute.length).toBe(COMPUTE_METHODS.length - 1);
      for (const [name, facts] of compute) {
        const entry = registry.get(facts.aliasOf ?? name);
        expect(entry, name).toBeDefined();
        const errors = entry!.errors
          .map(core)
          .filter((r) => r !== 'VK_ERROR_UNKNOWN' && r !== 'VK_ERROR_VALIDATION_FAILED');
        expect([...facts.errorResults].sort(), name).toEqual(errors.sort());
        const success = entry!.success.map(core).filter((r) => r !== 'VK_SUCCESS');
        expect([...(facts.successResults ?? [])].sort(), name).toEqual(success.sort());
      }
    },
  );
});
