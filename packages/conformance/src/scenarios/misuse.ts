/**
 * Misuse: what every backend does, identically, when it is called wrongly without the validation layer.
 * A handle of another device, a freed one, something that is no handle; use after destroy, destroy twice,
 * destroy in either order; a create info that cannot be honoured; every malformed argument, with its error
 * class and its Vulkan parameter path. Each refused call changes nothing.
 *
 * These scenarios make their own devices (and, to destroy one, their own instance), without any layer, so the
 * stacked suite runs them on the bare backend too; how the layer reports the same misuse is @vkmap/core's to
 * test.
 */
import { expect } from 'vitest';
import {
  alignUp,
  EXTENSION_DEPENDENCIES,
  apiVersionMajorMinor,
  ValidationError,
  VK_WHOLE_SIZE,
  VkError,
  VkmapArgumentError,
  VkmapStateError,
  VkMemoryMapFlagBits,
  VkMemoryPropertyFlagBits,
  VkStructureType,
  type Device,
  type DeviceMemory,
  type HostAddressRange,
  type Instance,
  type PhysicalDevice,
  type ValidationReport,
} from '@vkmap/core';
import { assertSameBytes, pattern } from '../bytes.js';
import { captureThrow, withContext } from '../context.js';
import { mapMemory2Of } from '../entry-points.js';
import {
  cyclicChains,
  gettersThatEndObjects,
  rangesOutsideTheMapping,
  stableStaleViews,
  viewTransfers,
} from './arguments.js';
import { SKIP, type ScenarioSpec, type TargetContext } from '../scenario.js';
import type { ScenarioSession } from '../session.js';

/** Asserts `error` is a VkmapArgumentError naming `argument`. */
function expectArgumentError(error: unknown, argument: string, what: string): void {
  expect(error, `${what} threw ${String(error)}`).toBeInstanceOf(VkmapArgumentError);
  expect((error as VkmapArgumentError).argument, `${what}: the argument named`).toBe(argument);
}

/** Asserts `error` is a VkmapStateError naming `argument`, first in its message too. */
function expectStateError(error: unknown, argument: string, what: string): void {
  expect(error, `${what} threw ${String(error)}`).toBeInstanceOf(VkmapStateError);
  expect((error as VkmapStateError).argument, `${what}: the argument named`).toBe(argument);
  expect(
    (error as Error).message.startsWith(`${argument}: `),
    `${what}: "${(error as Error).message}" names ${argument}`,
  ).toBe(true);
}

/** A bare device of the target's physical device, with the suite's extensions and features. */
function bareDevice(session: ScenarioSession, physicalDevice: PhysicalDevice = session.target.physicalDevice): Device {
  return physicalDevice.createDevice({ ...session.target.createInfo, validation: false });
}

/** Runs `body` on a bare device made for it, destroyed after. */
function withBareDevice(session: ScenarioSession, body: (device: Device) => void): void {
  const device = bareDevice(session);
  try {
    body(device);
  } finally {
    device.destroy();
  }
}

/** A second instance of the backend, and its physical device that stands for the target. */
function freshInstance(ctx: TargetContext): { instance: Instance; physicalDevice: PhysicalDevice } {
  const instance = ctx.backend.createInstance();
  const devices = ctx.backend.devices?.(instance) ?? instance.enumeratePhysicalDevices();
  return { instance, physicalDevice: devices[ctx.target.index]! };
}

/** A host-visible allocation of `device`, mapped whole, holding a pattern: proof that a refused call changed nothing. */
function keeper(session: ScenarioSession, device: Device): { memory: DeviceMemory; check: (what: string) => void } {
  const type = session.target.hostVisibleTypes[0]!;
  const size = alignUp(4096n, session.target.atomSize);
  const memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
  const mapping = device.mapMemory(memory, 0n, VK_WHOLE_SIZE);
  mapping.data.set(pattern(40, Number(size)));
  return {
    memory,
    check: (what) => {
      expect(mapping.isMapped, `the keeper is still mapped after ${what}`).toBe(true);
      assertSameBytes(mapping.data, pattern(40, Number(size)), `the keeper's bytes after ${what}`);
    },
  };
}

/** Every command that takes a memory object, called with `memory`, and the parameter path it names it by. */
function memoryCommands(
  session: ScenarioSession,
  device: Device,
  memory: DeviceMemory,
): [string, string, () => unknown][] {
  const map2 = mapMemory2Of(session.target.capabilities);
  const calls: [string, string, () => unknown][] = [
    ['vkFreeMemory', 'memory', () => device.freeMemory(memory)],
    ['vkMapMemory', 'memory', () => device.mapMemory(memory, 0n, VK_WHOLE_SIZE)],
    ['vkUnmapMemory', 'memory', () => device.unmapMemory(memory)],
    [
      'vkFlushMappedMemoryRanges',
      'pMemoryRanges[0].memory',
      () => device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]),
    ],
    [
      'vkInvalidateMappedMemoryRanges',
      'pMemoryRanges[0].memory',
      () => device.invalidateMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]),
    ],
  ];
  if (map2) {
    calls.push([map2.name, 'pMemoryMapInfo.memory', () => map2.map(device, memory, 0n, VK_WHOLE_SIZE)]);
    calls.push([map2.name.replace('Map', 'Unmap'), 'pMemoryUnmapInfo.memory', () => map2.unmap(device, memory)]);
  }
  return calls;
}

function foreignMemory(session: ScenarioSession): void {
  const device = bareDevice(session);
  const other = bareDevice(session);
  try {
    const own = keeper(session, device);
    const type = session.target.hostVisibleTypes[0]!;
    const foreign = other.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type.index });
    for (const [command, argument, call] of memoryCommands(session, device, foreign)) {
      withContext(command, () =>
        expectStateError(captureThrow(call, command), argument, `${command} with another device's memory`),
      );
    }
    own.check('calls with another device’s memory');
    // The memory is untouched on its own device.
    other.mapMemory(foreign, 0n, VK_WHOLE_SIZE).data[0] = 1;
    other.freeMemory(foreign);
  } finally {
    other.destroy();
    device.destroy();
  }
}

function freedMemory(session: ScenarioSession): void {
  withBareDevice(session, (device) => {
    const own = keeper(session, device);
    const freed = device.allocateMemory({
      allocationSize: 4096,
      memoryTypeIndex: session.target.hostVisibleTypes[0]!.index,
    });
    device.freeMemory(freed);
    for (const [command, argument, call] of memoryCommands(session, device, freed)) {
      withContext(command, () =>
        expectStateError(captureThrow(call, command), argument, `${command} with freed memory`),
      );
    }
    own.check('calls with freed memory');
  });
}

function notMemory(session: ScenarioSession): void {
  withBareDevice(session, (device) => {
    const own = keeper(session, device);
    const forged = { objectType: 'VkDeviceMemory', handle: 1n } as unknown as DeviceMemory;
    for (const fake of [
      {} as DeviceMemory,
      42 as unknown as DeviceMemory,
      forged,
      undefined as unknown as DeviceMemory,
    ]) {
      for (const [command, argument, call] of memoryCommands(session, device, fake)) {
        withContext(`${command} with ${String(fake)}`, () =>
          expectArgumentError(captureThrow(call, command), argument, command),
        );
      }
    }
    device.freeMemory(null);
    own.check('calls with things that are no memory object');
  });
}

/** A device's children: a memory object, mapped, and an address range; then a check that they all ended. */
function children(
  session: ScenarioSession,
  device: Device,
): { memory: DeviceMemory; expectEnded: (by: string) => void; range: HostAddressRange } {
  const memory = device.allocateMemory({
    allocationSize: 4096,
    memoryTypeIndex: session.target.hostVisibleTypes[0]!.index,
  });
  const mapping = device.mapMemory(memory, 0n, VK_WHOLE_SIZE);
  const view = mapping.data;
  const range = device.reserveAddressRange(4096);
  return {
    memory,
    range,
    expectEnded: (by) => {
      expect(device.isDestroyed, `the device is destroyed by ${by}`).toBe(true);
      expect(mapping.isMapped, `the mapping ended with its device (${by})`).toBe(false);
      expect(view.byteLength, `the view is detached (${by})`).toBe(0);
      expect(range.isReserved, `the address range was released with its device (${by})`).toBe(false);
    },
  };
}

function destroyedDevice(session: ScenarioSession): void {
  const device = bareDevice(session);
  const type = session.target.hostVisibleTypes[0]!;
  const { memory, range, expectEnded } = children(session, device);
  device.destroy();
  device.destroy(); // a second destroy does nothing
  expectEnded('device.destroy()');
  const calls: [string, () => unknown][] = [
    ['allocateMemory', () => device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type.index })],
    ['freeMemory', () => device.freeMemory(memory)],
    ['freeMemory(null)', () => device.freeMemory(null)],
    ['mapMemory', () => device.mapMemory(memory, 0n, VK_WHOLE_SIZE)],
    ['unmapMemory', () => device.unmapMemory(memory)],
    ['flushMappedMemoryRanges', () => device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }])],
    [
      'invalidateMappedMemoryRanges',
      () => device.invalidateMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]),
    ],
    ['getMemoryBudget', () => device.getMemoryBudget()],
    ['reserveAddressRange', () => device.reserveAddressRange(4096)],
  ];
  for (const [what, call] of calls) {
    withContext(what, () =>
      expectStateError(captureThrow(call, `${what} on a destroyed device`), 'device', `${what} on a destroyed device`),
    );
  }
  range.release(); // a released range: does nothing
}

function destroyedInstance(ctx: TargetContext, session: ScenarioSession): void {
  const { instance, physicalDevice } = freshInstance(ctx);
  const device = bareDevice(session, physicalDevice);
  const type = session.target.hostVisibleTypes[0]!;
  const { expectEnded } = children(session, device);
  instance.destroy();
  expect(instance.isDestroyed).toBe(true);
  expectEnded('instance.destroy()');
  expectStateError(
    captureThrow(() => device.allocateMemory({ allocationSize: 64, memoryTypeIndex: type.index }), 'allocate'),
    'device',
    'a device of a destroyed instance',
  );
  expectStateError(
    captureThrow(() => physicalDevice.createDevice(), 'createDevice'),
    'instance',
    'createDevice on a destroyed instance',
  );
  expectStateError(
    captureThrow(() => physicalDevice.getMemoryProperties(), 'getMemoryProperties'),
    'instance',
    'a query of a destroyed instance',
  );
  expectStateError(
    captureThrow(() => instance.enumeratePhysicalDevices(), 'enumerate'),
    'instance',
    'enumerating a destroyed instance',
  );
  instance.destroy(); // a second destroy does nothing
  device.destroy(); // and so does destroying a device its instance destroyed
}

function destroyOrder(ctx: TargetContext, session: ScenarioSession): void {
  const { instance, physicalDevice } = freshInstance(ctx);
  const type = session.target.hostVisibleTypes[0]!;
  // Children first: memory freed while mapped, then its device, then the instance.
  const first = bareDevice(session, physicalDevice);
  const memory = first.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type.index });
  const mapping = first.mapMemory(memory, 0n, VK_WHOLE_SIZE);
  first.freeMemory(memory);
  expect(mapping.isMapped).toBe(false);
  first.destroy();
  // A device left for the instance to destroy, and one destroyed before it.
  const left = bareDevice(session, physicalDevice);
  left.allocateMemory({ allocationSize: 4096, memoryTypeIndex: type.index });
  const gone = bareDevice(session, physicalDevice);
  gone.destroy();
  instance.destroy();
  expect([first.isDestroyed, left.isDestroyed, gone.isDestroyed]).toEqual([true, true, true]);
}

function createInfoMisuse(session: ScenarioSession): void {
  const { physicalDevice } = session.target;
  const cases: [string, string, unknown][] = [
    ['a create info that is not an object', 'pCreateInfo', 'extensions'],
    [
      'extension names that are not an array',
      'pCreateInfo.enabledExtensionNames',
      { enabledExtensionNames: 'VK_KHR_map_memory2' },
    ],
    ['an extension name that is not a string', 'pCreateInfo.enabledExtensionNames[0]', { enabledExtensionNames: [42] }],
    ['an unknown feature structure', 'pCreateInfo.enabledFeatures.bogus', { enabledFeatures: { bogus: {} } }],
    [
      'an unknown feature member',
      'pCreateInfo.enabledFeatures.mapMemoryPlaced.bogus',
      { enabledFeatures: { mapMemoryPlaced: { bogus: true } } },
    ],
    [
      'a feature member that is not a boolean',
      'pCreateInfo.enabledFeatures.mapMemoryPlaced.memoryMapPlaced',
      { enabledFeatures: { mapMemoryPlaced: { memoryMapPlaced: 1 } } },
    ],
    [
      'a feature without its extension',
      'pCreateInfo.enabledFeatures.mapMemoryPlaced.memoryMapPlaced',
      { enabledFeatures: { mapMemoryPlaced: { memoryMapPlaced: true } } },
    ],
  ];
  for (const [what, argument, info] of cases) {
    withContext(what, () =>
      expectArgumentError(
        captureThrow(() => physicalDevice.createDevice(info as never), 'createDevice'),
        argument,
        what,
      ),
    );
  }
  const unknown = captureThrow(
    () => physicalDevice.createDevice({ enabledExtensionNames: ['VK_VKMAP_not_an_extension'] }),
    'createDevice',
  );
  expect(unknown).toBeInstanceOf(VkError);
  expect((unknown as VkError).result).toBe('VK_ERROR_EXTENSION_NOT_PRESENT');
}

/** An offered extension whose dependencies this device's version does not provide, with the first missing one. */
function unmetDependency(target: TargetContext['target']): [string, string] | undefined {
  const offered = new Set(target.physicalDevice.enumerateDeviceExtensionProperties().map((e) => e.extensionName));
  const version = apiVersionMajorMinor(
    Math.min(target.physicalDevice.instance.apiVersion, target.physicalDevice.getProperties().apiVersion),
  );
  for (const [name, dependency] of Object.entries(EXTENSION_DEPENDENCIES)) {
    if (!offered.has(name) || (dependency.orVersion !== undefined && version >= dependency.orVersion)) continue;
    if (dependency.extensions[0]) return [name, dependency.extensions[0]];
  }
  return undefined;
}

function missingDependency(session: ScenarioSession): void {
  const [name, needed] = unmetDependency(session.target)!;
  const error = captureThrow(
    () => session.target.physicalDevice.createDevice({ enabledExtensionNames: [name] }),
    'createDevice',
  );
  expectArgumentError(error, 'pCreateInfo.enabledExtensionNames', `${name} without ${needed}`);
  expect((error as Error).message).toContain(needed);
  // With the dependency, the same request succeeds.
  session.target.physicalDevice.createDevice({ enabledExtensionNames: [name, needed] }).destroy();
}

function unsupportedFeature(session: ScenarioSession): void {
  const { physicalDevice, createInfo } = session.target;
  const supported = physicalDevice.getFeatures().mapMemoryPlaced;
  const member = (Object.keys(supported) as (keyof typeof supported)[]).find((m) => !supported[m])!;
  const error = captureThrow(
    () =>
      physicalDevice.createDevice({
        enabledExtensionNames: createInfo.enabledExtensionNames,
        enabledFeatures: { mapMemoryPlaced: { [member]: true } },
      }),
    'createDevice',
  );
  expect(error).toBeInstanceOf(VkError);
  expect((error as VkError).result).toBe('VK_ERROR_FEATURE_NOT_PRESENT');
}

/** Malformed arguments of every command: each error's class and the parameter path it names. */
function malformedArguments(session: ScenarioSession): void {
  withBareDevice(session, (device) => {
    const { target } = session;
    const own = keeper(session, device);
    const type = target.hostVisibleTypes[0]!;
    const memory = device.allocateMemory({ allocationSize: 8192, memoryTypeIndex: type.index });
    const typeCount = target.physicalDevice.getMemoryProperties().memoryTypes.length;
    const map2 = mapMemory2Of(target.capabilities);
    const argumentCases: [string, string, () => unknown][] = [
      ['no allocate info', 'pAllocateInfo', () => device.allocateMemory(null as never)],
      [
        'a negative allocation size',
        'pAllocateInfo.allocationSize',
        () => device.allocateMemory({ allocationSize: -1, memoryTypeIndex: type.index }),
      ],
      [
        'a fractional allocation size',
        'pAllocateInfo.allocationSize',
        () => device.allocateMemory({ allocationSize: 1.5, memoryTypeIndex: type.index }),
      ],
      [
        'an allocation size of 0',
        'pAllocateInfo.allocationSize',
        () => device.allocateMemory({ allocationSize: 0, memoryTypeIndex: type.index }),
      ],
      [
        'a memory type index past the count',
        'pAllocateInfo.memoryTypeIndex',
        () => device.allocateMemory({ allocationSize: 64, memoryTypeIndex: typeCount }),
      ],
      [
        'an unknown pNext structure',
        'pAllocateInfo.pNext',
        () => device.allocateMemory({ allocationSize: 64, memoryTypeIndex: type.index, pNext: { sType: 12345 } }),
      ],
      ['an offset at the end', 'offset', () => device.mapMemory(memory, 8192, VK_WHOLE_SIZE)],
      ['a size of 0', 'size', () => device.mapMemory(memory, 0, 0)],
      ['a size past the end', 'size', () => device.mapMemory(memory, 4096, 4097)],
      ['an unsafe number', 'offset', () => device.mapMemory(memory, 2 ** 60, 16)],
      ['an undefined flag bit', 'flags', () => device.mapMemory(memory, 0, 16, 0x100)],
      ['ranges that are not an array', 'pMemoryRanges', () => device.flushMappedMemoryRanges({} as never)],
      ['a range that is null', 'pMemoryRanges[0]', () => device.invalidateMappedMemoryRanges([null as never])],
      ['an address range of size 0', 'size', () => device.reserveAddressRange(0)],
      ['an address range alignment that is no power of two', 'alignment', () => device.reserveAddressRange(4096, 3000)],
      [
        'the placed bit on vkMapMemory',
        'flags',
        () => device.mapMemory(memory, 0, 16, VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT),
      ],
    ];
    if (map2) {
      const map = (info: unknown) =>
        map2.name === 'vkMapMemory2' ? device.mapMemory2(info as never) : device.mapMemory2KHR(info as never);
      argumentCases.push(
        ['a map info that is not an object', 'pMemoryMapInfo', () => map(7)],
        ['a map info of the wrong sType', 'pMemoryMapInfo.sType', () => map({ sType: 6, memory, offset: 0, size: 16 })],
        [
          'an unknown structure in a map info chain',
          'pMemoryMapInfo.pNext',
          () => map({ memory, offset: 0, size: 16, pNext: { sType: 7 } }),
        ],
      );
    }
    const nonVisible = target.physicalDevice
      .getMemoryProperties()
      .memoryTypes.findIndex(
        (t) => (t.propertyFlags & VkMemoryPropertyFlagBits.VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) === 0,
      );
    if (nonVisible >= 0) {
      const local = device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: nonVisible });
      argumentCases.push([
        'memory that is not HOST_VISIBLE',
        'memory',
        () => device.mapMemory(local, 0, VK_WHOLE_SIZE),
      ]);
    }
    for (const [what, argument, call] of argumentCases) {
      withContext(what, () => expectArgumentError(captureThrow(call, what), argument, what));
    }

    const stateCases: [string, string, () => unknown][] = [
      ['an unmap of memory that is not mapped', 'memory', () => device.unmapMemory(memory)],
      [
        'a flush of memory that is not mapped',
        'pMemoryRanges[0].memory',
        () => device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]),
      ],
    ];
    for (const [what, argument, call] of stateCases)
      withContext(what, () => expectStateError(captureThrow(call, what), argument, what));

    device.mapMemory(memory, 4096, 4096);
    expectStateError(
      captureThrow(() => device.mapMemory(memory, 0, 16), 'a second map'),
      'memory',
      'a second map',
    );
    expectArgumentError(
      captureThrow(
        () => device.flushMappedMemoryRanges([{ memory, offset: 0, size: 64 }]),
        'a range before the mapping',
      ),
      'pMemoryRanges[0].size',
      'a range before the mapping',
    );
    if (map2) {
      const unmap =
        map2.name === 'vkMapMemory2' ? device.unmapMemory2.bind(device) : device.unmapMemory2KHR.bind(device);
      expectArgumentError(
        captureThrow(() => unmap({ memory, flags: 0x4 }), 'an undefined unmap flag'),
        'pMemoryUnmapInfo.flags',
        'an undefined unmap flag',
      );
      expectArgumentError(
        captureThrow(() => unmap({ sType: 5 as never, memory }), 'a wrong sType'),
        'pMemoryUnmapInfo.sType',
        'a wrong sType',
      );
    }
    const heap = target.heaps[type.heapIndex]!;
    const tooLarge = captureThrow(
      () => device.allocateMemory({ allocationSize: heap.size + 1n, memoryTypeIndex: type.index }),
      'an allocation larger than its heap',
    );
    expect(tooLarge).toBeInstanceOf(VkError);
    expect((tooLarge as VkError).result).toBe('VK_ERROR_OUT_OF_DEVICE_MEMORY');
    device.unmapMemory(memory);
    own.check('every refused call');
  });
}

function addressRanges(session: ScenarioSession): void {
  withBareDevice(session, (device) => {
    const range = device.reserveAddressRange(4096);
    range.release();
    expect(range.isReserved).toBe(false);
    range.release(); // releasing a released range does nothing
  });
}

/**
 * A normal map may land in the hole a placed map left in its reservation; it is no placed mapping, so it does
 * not keep the reservation from being released, and it stays mapped and usable after.
 */
function normalMapInPlacedHole(ctx: TargetContext, session: ScenarioSession): void {
  withBareDevice(session, (device) => {
    const { target } = session;
    const type = target.hostVisibleTypes[0]!;
    const slot = target.physicalDevice.getMapMemoryPlacedProperties()!.minPlacedMemoryMapAlignment;
    const size = slot > 65536n ? slot : 65536n;
    const map2 = mapMemory2Of(target.capabilities)!;
    const placed = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
    const range = device.reserveAddressRange(size, slot);
    const map = map2.name === 'vkMapMemory2' ? device.mapMemory2.bind(device) : device.mapMemory2KHR.bind(device);
    map({
      memory: placed,
      offset: 0,
      size: VK_WHOLE_SIZE,
      flags: VkMemoryMapFlagBits.VK_MEMORY_MAP_PLACED_BIT_EXT,
      pNext: {
        sType: VkStructureType.VK_STRUCTURE_TYPE_MEMORY_MAP_PLACED_INFO_EXT,
        pPlacedAddress: range.address,
      } as never,
    });
    device.unmapMemory(placed); // a normal unmap: a hole in the reservation
    const normal = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
    const mapping = device.mapMemory(normal, 0n, VK_WHOLE_SIZE);
    mapping.data.set(pattern(41, Number(size)));
    if (ctx.backend.addressSpace?.(device)) {
      // Where the address space is known, the normal map is seen to land in the hole (the lowest free pages).
      expect(
        mapping.address >= range.address && mapping.address < range.address + range.size,
        'the normal map landed in the hole',
      ).toBe(true);
    }
    range.release();
    expect(range.isReserved).toBe(false);
    assertSameBytes(mapping.data, pattern(41, Number(size)), 'the normal mapping after the release');
    device.unmapMemory(normal);
  });
}

/** `createDevice({ validation })` puts the validation layer on the device, on every backend. */
function validationOption(session: ScenarioSession): void {
  const { physicalDevice, createInfo } = session.target;
  const layerOnly = 'VUID-vkFlushMappedMemoryRanges-memoryRangeCount-arraylength';
  const bare = physicalDevice.createDevice(createInfo);
  try {
    bare.flushMappedMemoryRanges([]); // valid for the bare device: an empty list asks for nothing
  } finally {
    bare.destroy();
  }
  const validated = physicalDevice.createDevice({ ...createInfo, validation: true });
  try {
    const error = captureThrow(() => validated.flushMappedMemoryRanges([]), 'an empty flush on a validated device');
    expect(error).toBeInstanceOf(ValidationError);
    expect([...(error as ValidationError).vuids]).toEqual([layerOnly]);
  } finally {
    validated.destroy();
  }
  const reports: ValidationReport[] = [];
  const reporting = physicalDevice.createDevice({
    ...createInfo,
    validation: { mode: 'report', onReport: (r) => reports.push(r) },
  });
  try {
    reporting.flushMappedMemoryRanges([]);
    expect(reports.map((r) => r.failures.map((f) => f.vuid))).toEqual([[layerOnly]]);
  } finally {
    reporting.destroy();
  }
}

export function misuseScenarios(ctx: TargetContext): ScenarioSpec[] {
  const { target } = ctx;
  const path = ['misuse'];
  const noType = target.hostVisibleTypes.length === 0 ? SKIP.noHostVisibleType : undefined;
  const features = target.physicalDevice.getFeatures().mapMemoryPlaced;
  const spec = (title: string, body: (session: ScenarioSession) => void, skipReason?: string): ScenarioSpec => ({
    group: 'misuse',
    path,
    title,
    skipReason,
    body,
  });
  return [
    spec(
      'a memory object of another device is a VkmapStateError naming the parameter, in every command',
      foreignMemory,
      noType,
    ),
    spec('a freed memory object is a VkmapStateError naming the parameter, in every command', freedMemory, noType),
    spec(
      'something that is no memory object is a VkmapArgumentError naming the parameter, in every command',
      notMemory,
      noType,
    ),
    spec(
      'a destroyed device: destroying it again does nothing, every other call is a VkmapStateError',
      destroyedDevice,
      noType,
    ),
    spec(
      'destroying the instance destroys its devices; destroying it again does nothing',
      (s) => destroyedInstance(ctx, s),
      noType,
    ),
    spec(
      'children destroyed before their parents, and parents before their children, end cleanly',
      (s) => destroyOrder(ctx, s),
      noType,
    ),
    spec(
      'a malformed device create info is a VkmapArgumentError naming the member; an unknown extension is EXTENSION_NOT_PRESENT',
      createInfoMisuse,
    ),
    spec(
      'an extension whose dependency is not enabled is a VkmapArgumentError naming the dependency',
      missingDependency,
      unmetDependency(target) ? undefined : 'device offers no extension that depends on another at its version',
    ),
    spec(
      'a feature the device does not support is VK_ERROR_FEATURE_NOT_PRESENT',
      unsupportedFeature,
      !target.createInfo.enabledExtensionNames?.includes('VK_EXT_map_memory_placed')
        ? SKIP.noPlaced
        : Object.values(features).every(Boolean)
          ? 'device supports every feature of the family'
          : undefined,
    ),
    spec(
      'malformed arguments of every command: each error class and parameter path, nothing changed',
      malformedArguments,
      noType,
    ),
    spec('releasing an address range twice does nothing', addressRanges),
    spec(
      'a normal map in the hole of an earlier placed map does not keep its reservation from being released',
      (s) => normalMapInPlacedHole(ctx, s),
      noType ??
        (target.capabilities.placed.memoryMapPlaced && target.capabilities.mapMemory2 ? undefined : SKIP.noPlaced),
    ),
    spec('createDevice({ validation }) puts the validation layer on the device', validationOption),
    spec(
      'a cyclic pNext chain is a VkmapArgumentError naming the chain, in every command with one',
      cyclicChains,
      noType,
    ),
    spec(
      'getters that free memory, unmap it or destroy the device while a call reads its arguments: the call is refused',
      gettersThatEndObjects,
      noType,
    ),
    spec(
      'flush and invalidate ranges outside the mapping or off the atom grid are refused before the backend',
      rangesOutsideTheMapping,
      noType,
    ),
    spec(
      'a mapped view cannot be transferred away, and a buffer the application marked breaks no vkmap call',
      viewTransfers,
      noType,
    ),
    spec("'stable' views: a stale view never reaches another memory object", stableStaleViews, noType),
  ];
}
