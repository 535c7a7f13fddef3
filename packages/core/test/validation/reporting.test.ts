import { describe, expect, it } from 'vitest';
import {
  isKnownVuid,
  VK_WHOLE_SIZE,
  ValidationError,
  VkmapArgumentError,
  VUID_CATALOGUE,
  vuidEntry,
  vuidUrl,
  withValidation,
  type KnownVuid,
  type ValidationReport,
} from '@vkmap/core';
import {
  allocate,
  bareDevice,
  expectVuids,
  khrDevice,
  physicalDeviceOf,
  plainDevice,
  stress14,
  TYPE_DEVICE_LOCAL,
} from './helpers.js';

describe('throw mode (default)', () => {
  it('throws one ValidationError per call with every rule, the command, our message with the values, and the anchor', () => {
    const device = plainDevice();
    const memory = allocate(device, 4096, TYPE_DEVICE_LOCAL);
    const error = expectVuids(
      () => device.mapMemory(memory, 4096, 1),
      ['VUID-vkMapMemory-memory-00682', 'VUID-vkMapMemory-offset-00679', 'VUID-vkMapMemory-size-00681'],
    );
    const handle = `VkDeviceMemory 0x${memory.handle.toString(16)}`;
    expect(error.command).toBe('vkMapMemory');
    expect(error.failures).toEqual([
      {
        vuid: 'VUID-vkMapMemory-offset-00679',
        message: `offset 4096 bytes is not inside ${handle}, whose size is 4096 bytes`,
        url: 'https://docs.vulkan.org/spec/latest/chapters/memory.html#VUID-vkMapMemory-offset-00679',
      },
      {
        vuid: 'VUID-vkMapMemory-size-00681',
        message: `offset 4096 bytes + size 1 byte ends at 4097 bytes, past the end of ${handle} (4096 bytes)`,
        url: 'https://docs.vulkan.org/spec/latest/chapters/memory.html#VUID-vkMapMemory-size-00681',
      },
      {
        vuid: 'VUID-vkMapMemory-memory-00682',
        message: `${handle} has memory type 0 (property flags 0x1), which is not HOST_VISIBLE and cannot be mapped`,
        url: 'https://docs.vulkan.org/spec/latest/chapters/memory.html#VUID-vkMapMemory-memory-00682',
      },
    ]);
    expect(error.message).toMatch(/^vkMapMemory breaks 3 valid-usage rules:\n {2}\[VUID-vkMapMemory-offset-00679\]/);
  });

  it('prints addresses in hex', () => {
    const device = plainDevice();
    const first = allocate(device, 4096);
    const mapping = device.mapMemory(first, 0, VK_WHOLE_SIZE);
    const error = expectVuids(() => device.mapMemory(first, 0, VK_WHOLE_SIZE), ['VUID-vkMapMemory-memory-00678']);
    expect(error.failures[0]!.message).toContain(`at 0x${mapping.address.toString(16)}`);
  });

  it('knows and links the KHR spellings that reportKhrAliases reports, each to its 1.4 rule', () => {
    const aliases = VUID_CATALOGUE.flatMap((e) => e.khrAliases.map((alias) => [alias, e.id] as const));
    expect(aliases.length).toBeGreaterThan(30);
    for (const [alias, id] of aliases) {
      expect(isKnownVuid(alias), alias).toBe(true);
      expect(vuidUrl(alias as KnownVuid), alias).toBe(vuidUrl(id));
      expect(vuidEntry(alias as KnownVuid).id).toBe(id);
    }
    // And every identifier of an actual report through a KHR entry point.
    const error = expectVuids(
      () => khrDevice({ reportKhrAliases: true }).mapMemory2KHR({ memory: 5 as never, offset: 0, size: 0 }),
      ['VUID-VkMemoryMapInfo-memory-parameter', 'VUID-VkMemoryMapInfoKHR-memory-parameter'],
    );
    for (const failure of error.failures) {
      expect(isKnownVuid(failure.vuid)).toBe(true);
      expect(failure.url).toBe(
        'https://docs.vulkan.org/spec/latest/chapters/memory.html#VUID-VkMemoryMapInfo-memory-parameter',
      );
    }
    expect(vuidUrl('VUID-vkUnmapMemory2KHR-pMemoryUnmapInfo-parameter')).toBe(
      'https://docs.vulkan.org/spec/latest/chapters/memory.html#VUID-vkUnmapMemory2-pMemoryUnmapInfo-parameter',
    );
  });

  it('knows the unassigned identifiers of the Khronos layer, marked so, linked to their structure’s section', () => {
    const unassigned = VUID_CATALOGUE.filter((e) => 'unassigned' in e && e.group === 'mapping');
    expect(unassigned.map((e) => e.id).sort()).toEqual([
      'UNASSIGNED-VkMappedMemoryRange-memory-device',
      'UNASSIGNED-VkMemoryMapInfo-memory-parent',
      'UNASSIGNED-VkMemoryUnmapInfo-memory-parent',
    ]);
    for (const e of unassigned) {
      expect(isKnownVuid(e.id)).toBe(true);
      expect(e.khrAliases).toEqual([]);
      expect(vuidUrl(e.id)).toBe(`https://docs.vulkan.org/spec/latest/chapters/memory.html#${e.scope}`);
    }
  });

  it('refuses identifiers it does not know with a clear error', () => {
    expect(isKnownVuid('VUID-vkMapMemoryKHR-memory-00678')).toBe(false);
    expect(isKnownVuid('UNASSIGNED-VkMemoryMapInfoKHR-memory-parent')).toBe(false);
    expect(() => vuidUrl('VUID-vkMapMemory-memory-99999' as KnownVuid)).toThrow(VkmapArgumentError);
  });

  it('links rules of other chapters to their page', () => {
    expect(vuidUrl('VUID-VkPhysicalDeviceMapMemoryPlacedFeaturesEXT-sType-sType')).toBe(
      'https://docs.vulkan.org/spec/latest/chapters/features.html#VUID-VkPhysicalDeviceMapMemoryPlacedFeaturesEXT-sType-sType',
    );
  });
});

describe("'report' mode", () => {
  it('hands each failing call to onReport and does not forward it; a call that returns nothing returns undefined', () => {
    const reports: ValidationReport[] = [];
    const device = plainDevice({ mode: 'report', onReport: (r) => reports.push(r) });
    const memory = allocate(device, 4096);
    expect(device.unmapMemory(memory)).toBeUndefined();
    expect(device.flushMappedMemoryRanges([])).toBeUndefined();
    expect(reports.map((r) => r.command)).toEqual(['vkUnmapMemory', 'vkFlushMappedMemoryRanges']);
    expect(reports[0]!.failures.map((f) => f.vuid)).toEqual(['VUID-vkUnmapMemory-memory-00689']);
  });

  it('a call that must return an object is reported, then throws its ValidationError: it never returns undefined', () => {
    const reports: ValidationReport[] = [];
    const device = plainDevice({ mode: 'report', onReport: (r) => reports.push(r) });
    const memory = allocate(device, 4096);
    const error = expectVuids(() => device.mapMemory(memory, 0, 0), ['VUID-vkMapMemory-size-00680']);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.command).toBe('vkMapMemory');
    expect(reports[0]!.failures).toEqual(error.failures);
    expectVuids(
      () => device.allocateMemory({ allocationSize: 0, memoryTypeIndex: 1 }),
      ['VUID-VkMemoryAllocateInfo-allocationSize-07897'],
    );
    expect(reports).toHaveLength(2);
    // Not forwarded: the memory is still unmapped, so this map is valid.
    expect(device.mapMemory(memory, 0, VK_WHOLE_SIZE).size).toBe(4096n);
    expect(reports).toHaveLength(2);
  });

  it('drops identical reports past duplicateLimit, counting command and rule set', () => {
    const reports: ValidationReport[] = [];
    const device = plainDevice({ mode: 'report', onReport: (r) => reports.push(r), duplicateLimit: 2 });
    const memory = allocate(device, 4096);
    for (let i = 0; i < 5; i++) device.unmapMemory(memory);
    for (let i = 0; i < 5; i++) device.unmapMemory2({ memory });
    expect(reports.map((r) => r.command)).toEqual([
      'vkUnmapMemory',
      'vkUnmapMemory',
      'vkUnmapMemory2',
      'vkUnmapMemory2',
    ]);
  });

  it('defaults duplicateLimit to 10', () => {
    const reports: ValidationReport[] = [];
    const device = plainDevice({ mode: 'report', onReport: (r) => reports.push(r) });
    const memory = allocate(device, 4096);
    for (let i = 0; i < 25; i++) device.unmapMemory(memory);
    expect(reports).toHaveLength(10);
  });
});

describe('options and wrapping', () => {
  it('refuses unusable options', () => {
    const device = bareDevice({ profile: stress14 });
    expect(() => withValidation(device, { mode: 'log' as never })).toThrow(VkmapArgumentError);
    expect(() => withValidation(device, { mode: 'report' })).toThrow(/onReport/);
    expect(() => withValidation(device, { duplicateLimit: -1 })).toThrow(VkmapArgumentError);
  });

  it('DeviceCreateInfo.validation wraps the device; without it the backend device comes back bare', () => {
    const physicalDevice = physicalDeviceOf('lavapipe');
    const validated = physicalDevice.createDevice({ validation: true });
    expect(() => validated.unmapMemory(validated.allocateMemory({ allocationSize: 64, memoryTypeIndex: 0 }))).toThrow(
      ValidationError,
    );
    const bare = physicalDevice.createDevice();
    expect(() => bare.unmapMemory(bare.allocateMemory({ allocationSize: 64, memoryTypeIndex: 0 }))).not.toThrow(
      ValidationError,
    );
  });

  it('forwards the device’s own properties and queries', () => {
    const inner = bareDevice({ profile: stress14 });
    const device = withValidation(inner);
    expect(device.physicalDevice).toBe(inner.physicalDevice);
    expect(device.apiVersion).toBe(inner.apiVersion);
    expect(device.enabledExtensions).toBe(inner.enabledExtensions);
    expect(device.hasCommand('vkMapMemory2')).toBe(true);
    expect(device.getMemoryBudget()).toEqual(inner.getMemoryBudget());
    device.destroy();
    expect(device.isDestroyed).toBe(true);
  });
});
