/**
 * A bounded random-call fuzzer: a seeded PRNG drives random sequences of public calls (instances, devices,
 * allocate/free/map/map2/unmap/unmap2/flush/invalidate/reserve/release, buffers and binding, the allocator,
 * writes through live and stale views) with random and hostile arguments (wrong types; huge, negative, NaN
 * and bigint sizes; stale and foreign-device handles; proxies and getters that throw). Every exception must
 * be one of the allowed classes (or the argument's own exception propagating), and a call that threw must
 * leave the state probe unchanged. Findings carry the seed, the call index and the call, to reproduce.
 */
import util from 'node:util';
import { createAllocator, type Allocation, type Allocator } from '@vkmap/allocator';
import { VK_WHOLE_SIZE, type Buffer, type Device, type HostAddressRange, type Instance } from '@vkmap/core';
import { ALLOWED, classify, createInstance, openDevice, probe, type OpenParams, type Tracked } from './common.js';

/** Thrown by the fuzzer's own hostile arguments (proxy traps, getters): it may propagate as it is. */
class ArgumentOwnError extends Error {
  override name = 'ArgumentOwnError';
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DeviceState {
  device: Device;
  instance: Instance;
  type: number;
  memories: Tracked[];
  ranges: HostAddressRange[];
  buffers: Buffer[];
  allocator?: Allocator;
  allocations: { allocation: Allocation; view?: Uint8Array; mapped: number }[];
}

export interface FuzzParams extends OpenParams {
  seed: number;
  calls: number;
  maxDevices?: number;
}

export async function fuzz(p: FuzzParams) {
  const random = prng(p.seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T | undefined => (items.length === 0 ? undefined : items[int(items.length)]);
  const chance = (x: number) => random() < x;

  const instances: Instance[] = [];
  const devices: DeviceState[] = [];
  const staleMemories: Tracked[] = [];
  const staleDevices: Device[] = [];
  const staleRanges: HostAddressRange[] = [];
  const staleBuffers: Buffer[] = [];
  const views: Uint8Array[] = [];
  const maxDevices = p.maxDevices ?? 3;

  const newInstance = () => {
    const instance = createInstance(p.backend);
    instances.push(instance);
    return instance;
  };
  const newDevice = (instance: Instance) => {
    const opened = openDevice(instance, p);
    const state: DeviceState = {
      device: opened.device,
      instance,
      type: opened.hostVisibleType,
      memories: [],
      ranges: [],
      buffers: [],
      allocations: [],
    };
    devices.push(state);
    return state;
  };
  const retireDevice = (state: DeviceState) => {
    devices.splice(devices.indexOf(state), 1);
    staleDevices.push(state.device);
    staleMemories.push(...state.memories);
    staleRanges.push(...state.ranges);
    staleBuffers.push(...state.buffers);
  };
  newDevice(newInstance());
  newDevice(instances[0]!);

  const throwingProxy = () =>
    new Proxy(
      {},
      {
        get() {
          throw new ArgumentOwnError('proxy get trap');
        },
        has() {
          throw new ArgumentOwnError('proxy has trap');
        },
        ownKeys() {
          throw new ArgumentOwnError('proxy ownKeys trap');
        },
        getOwnPropertyDescriptor() {
          throw new ArgumentOwnError('proxy descriptor trap');
        },
        getPrototypeOf() {
          throw new ArgumentOwnError('proxy prototype trap');
        },
      },
    );
  const lyingProxy = (value: unknown) =>
    new Proxy({}, { get: (_t, key) => (key === 'objectType' ? 'VkDeviceMemory' : value) });
  const throwingGetter = (key: string) =>
    Object.defineProperty({}, key, {
      get() {
        throw new ArgumentOwnError(`getter ${key}`);
      },
      enumerable: true,
    });

  const hostileSize = (): unknown =>
    pick<() => unknown>([
      () => 0,
      () => 1,
      () => -1,
      () => Number.NaN,
      () => Number.POSITIVE_INFINITY,
      () => 2 ** 53,
      () => 2 ** 64,
      () => 1.5,
      () => -1n,
      () => 1n << 64n,
      () => 1n << 63n,
      () => VK_WHOLE_SIZE,
      () => '4096',
      () => null,
      () => undefined,
      () => ({}),
      () => [],
      () => Symbol('size'),
      () => throwingProxy(),
      () => ({ valueOf: () => 4096 }),
      () => BigInt(int(4) * 4096),
      () => int(4) * 4096,
      () => 64,
      () => 4096,
      () => 65536n,
    ])!();
  const validSize = () => pick([4096, 8192, 65536, 4096n, 256])!;
  const size = () => (chance(0.5) ? validSize() : hostileSize());
  const offset = () => (chance(0.6) ? pick([0, 0n, 256, 4096, 64])! : hostileSize());

  const hostileMemory = (own: DeviceState | undefined): unknown => {
    const roll = int(10);
    if (roll < 4 && own && own.memories.length > 0) return pick(own.memories)!.memory;
    if (roll < 6 && staleMemories.length > 0) return pick(staleMemories)!.memory;
    if (roll < 7) {
      const other = pick(devices.filter((d) => d !== own && d.memories.length > 0));
      if (other) return pick(other.memories)!.memory;
    }
    return pick<() => unknown>([
      () => ({ objectType: 'VkDeviceMemory', handle: BigInt(int(1000)), allocationSize: 4096n, memoryTypeIndex: 0 }),
      () => null,
      () => undefined,
      () => 42,
      () => 'memory',
      () => throwingProxy(),
      () => lyingProxy(1n),
      () => pick(own?.buffers ?? []) ?? {},
      () => throwingGetter('handle'),
    ])!();
  };
  const hostileType = (own: DeviceState | undefined) =>
    chance(0.6)
      ? (own?.type ?? 0)
      : pick<unknown>([-1, 31, 32, 1.5, Number.NaN, '0', 0n, null, undefined, 2 ** 32, throwingProxy()]);
  const hostilePNext = () =>
    chance(0.8)
      ? undefined
      : pick<() => unknown>([
          () => null,
          () => {
            const a: Record<string, unknown> = { sType: 1000060000, flags: 0, deviceMask: 1 };
            a.pNext = a;
            return a;
          },
          () => ({ sType: 0x7fffffff, pNext: null }),
          () => throwingGetter('sType'),
          () => throwingProxy(),
          () => 5,
        ])!();

  const ops: { weight: number; name: string; run: (own: DeviceState | undefined, args: unknown[]) => void }[] = [
    {
      weight: 1,
      name: 'createInstance',
      run: () => {
        if (instances.length >= 2) {
          const victim = pick(instances)!;
          victim.destroy();
          instances.splice(instances.indexOf(victim), 1);
          for (const d of devices.filter((x) => x.instance === victim)) retireDevice(d);
        } else newInstance();
      },
    },
    {
      weight: 2,
      name: 'createDevice',
      run: () => {
        const live = instances.filter((i) => !i.isDestroyed);
        if (devices.length >= maxDevices || live.length === 0) {
          const victim = pick(devices);
          if (victim) {
            victim.device.destroy();
            retireDevice(victim);
          }
        } else newDevice(pick(live)!);
      },
    },
    {
      weight: 2,
      name: 'callDestroyed',
      run: (_own, args) => {
        const device = pick(staleDevices);
        if (!device) return;
        const memory = hostileMemory(undefined);
        args.push('stale device', memory);
        device.allocateMemory({ allocationSize: 4096, memoryTypeIndex: 0 });
      },
    },
    {
      weight: 12,
      name: 'allocateMemory',
      run: (own, args) => {
        if (!own) return;
        const info: Record<string, unknown> = { allocationSize: size(), memoryTypeIndex: hostileType(own) };
        const pNext = hostilePNext();
        if (pNext !== undefined) info.pNext = pNext;
        args.push(info);
        const memory = own.device.allocateMemory(chance(0.03) ? (throwingProxy() as never) : (info as never));
        own.memories.push({ memory });
        if (own.memories.length > 12) {
          const oldest = own.memories.shift()!;
          own.device.freeMemory(oldest.memory);
          staleMemories.push(oldest);
        }
      },
    },
    {
      weight: 8,
      name: 'freeMemory',
      run: (own, args) => {
        if (!own) return;
        const memory = hostileMemory(own);
        args.push(memory);
        own.device.freeMemory(memory as never);
        const at = own.memories.findIndex((t) => t.memory === memory);
        if (at >= 0) staleMemories.push(...own.memories.splice(at, 1));
      },
    },
    {
      weight: 14,
      name: 'mapMemory',
      run: (own, args) => {
        if (!own) return;
        const memory = hostileMemory(own);
        const o = offset();
        const s = chance(0.5) ? VK_WHOLE_SIZE : size();
        const flags = chance(0.9) ? 0 : pick<unknown>([1, -1, 2 ** 31, '0', null, 1n]);
        args.push(memory, o, s, flags);
        const mapping = own.device.mapMemory(memory as never, o as never, s as never, flags as never);
        const tracked = own.memories.find((t) => t.memory === memory);
        if (tracked) tracked.mapping = mapping;
        views.push(mapping.data);
      },
    },
    {
      weight: 6,
      name: 'mapMemory2',
      run: (own, args) => {
        if (!own) return;
        const memory = hostileMemory(own);
        const info: Record<string, unknown> = { memory, offset: offset(), size: chance(0.5) ? VK_WHOLE_SIZE : size() };
        if (chance(0.2)) info.flags = pick([0, 1, 4, -1]);
        const pNext = hostilePNext();
        if (pNext !== undefined) info.pNext = pNext;
        args.push(info);
        const command = chance(0.5) ? 'mapMemory2' : 'mapMemory2KHR';
        const mapping = own.device[command](info as never);
        const tracked = own.memories.find((t) => t.memory === memory);
        if (tracked) tracked.mapping = mapping;
        views.push(mapping.data);
      },
    },
    {
      weight: 10,
      name: 'unmapMemory',
      run: (own, args) => {
        if (!own) return;
        const memory = hostileMemory(own);
        args.push(memory);
        own.device.unmapMemory(memory as never);
      },
    },
    {
      weight: 5,
      name: 'unmapMemory2',
      run: (own, args) => {
        if (!own) return;
        const info: Record<string, unknown> = { memory: hostileMemory(own) };
        if (chance(0.2)) info.flags = pick([0, 1, 2, -1]);
        const pNext = hostilePNext();
        if (pNext !== undefined) info.pNext = pNext;
        args.push(info);
        const range = own.device[chance(0.5) ? 'unmapMemory2' : 'unmapMemory2KHR'](info as never);
        if (range) own.ranges.push(range);
      },
    },
    {
      weight: 10,
      name: 'flushOrInvalidate',
      run: (own, args) => {
        if (!own) return;
        const ranges = Array.from({ length: 1 + int(2) }, () => {
          const range: Record<string, unknown> = {
            memory: hostileMemory(own),
            offset: offset(),
            size: chance(0.4) ? VK_WHOLE_SIZE : size(),
          };
          const pNext = hostilePNext();
          if (pNext !== undefined) range.pNext = pNext;
          return range;
        });
        const list = chance(0.05) ? pick<unknown>([null, {}, 'ranges', throwingProxy(), [null]]) : ranges;
        args.push(list);
        if (chance(0.5)) own.device.flushMappedMemoryRanges(list as never);
        else own.device.invalidateMappedMemoryRanges(list as never);
      },
    },
    {
      weight: 4,
      name: 'reserveAddressRange',
      run: (own, args) => {
        if (!own) return;
        const s = chance(0.5) ? pick([4096, 65536, 1 << 20])! : hostileSize();
        const a = chance(0.7) ? undefined : hostileSize();
        args.push(s, a);
        const range = own.device.reserveAddressRange(s as never, a as never);
        own.ranges.push(range);
        if (own.ranges.length > 6) {
          const oldest = own.ranges.shift()!;
          oldest.release();
          staleRanges.push(oldest);
        }
      },
    },
    {
      weight: 3,
      name: 'releaseAddressRange',
      run: (own, args) => {
        if (!own) return;
        const fromStale = chance(0.4);
        const range = fromStale ? pick(staleRanges) : pick(own.ranges);
        if (!range) return;
        args.push(fromStale ? 'stale range' : 'live range');
        range.release();
        if (!fromStale) {
          own.ranges.splice(own.ranges.indexOf(range), 1);
          staleRanges.push(range);
        }
      },
    },
    {
      weight: 4,
      name: 'createBuffer',
      run: (own, args) => {
        if (!own) return;
        const info = { size: size(), usage: chance(0.8) ? 0x20 : pick<unknown>([0, -1, 2 ** 32, '32', null]) };
        args.push(info);
        own.buffers.push(own.device.createBuffer(info as never));
        if (own.buffers.length > 6) {
          const oldest = own.buffers.shift()!;
          own.device.destroyBuffer(oldest);
          staleBuffers.push(oldest);
        }
      },
    },
    {
      weight: 4,
      name: 'bindBufferMemory',
      run: (own, args) => {
        if (!own) return;
        const buffer = chance(0.8) ? pick(own.buffers) : chance(0.5) ? pick(staleBuffers) : ({} as Buffer);
        if (!buffer) return;
        const memory = hostileMemory(own);
        const o = offset();
        args.push(buffer, memory, o);
        own.device.bindBufferMemory(buffer, memory as never, o as never);
      },
    },
    {
      weight: 2,
      name: 'destroyBuffer',
      run: (own, args) => {
        if (!own) return;
        const buffer = chance(0.7) ? pick(own.buffers) : pick(staleBuffers);
        args.push(buffer);
        own.device.destroyBuffer((buffer ?? null) as never);
        if (buffer && own.buffers.includes(buffer)) {
          own.buffers.splice(own.buffers.indexOf(buffer), 1);
          staleBuffers.push(buffer);
        }
      },
    },
    {
      weight: 8,
      name: 'allocator',
      run: (own, args) => {
        if (!own) return;
        if (!own.allocator) {
          args.push('createAllocator');
          own.allocator = createAllocator(own.device);
          return;
        }
        const allocator = own.allocator;
        const roll = int(5);
        if (roll === 0 || own.allocations.length === 0) {
          const requirements = {
            size: chance(0.7) ? pick([256, 1024, 4096, 100])! : hostileSize(),
            alignment: chance(0.8) ? pick([1, 64, 256])! : hostileSize(),
            memoryTypeBits: chance(0.9) ? 1 << own.type : pick<unknown>([0, -1, '1', null]),
          };
          args.push('allocateMemory', requirements);
          const allocation = allocator.allocateMemory(requirements as never);
          own.allocations.push({ allocation, mapped: 0 });
          if (own.allocations.length > 10) {
            const oldest = own.allocations.shift()!;
            while (oldest.mapped-- > 0) allocator.unmapMemory(oldest.allocation);
            allocator.freeMemory(oldest.allocation);
          }
        } else if (roll === 1) {
          const entry = pick(own.allocations)!;
          args.push('mapMemory');
          entry.view = allocator.mapMemory(entry.allocation);
          entry.mapped++;
          views.push(entry.view);
        } else if (roll === 2) {
          const entry = pick(own.allocations)!;
          args.push('unmapMemory', entry.mapped);
          allocator.unmapMemory(entry.allocation);
          entry.mapped--;
        } else if (roll === 3) {
          const entry = pick(own.allocations)!;
          args.push('freeMemory', entry.mapped);
          allocator.freeMemory(entry.allocation);
          own.allocations.splice(own.allocations.indexOf(entry), 1);
        } else {
          const entry = pick(own.allocations)!;
          args.push('flushAllocation');
          allocator.flushAllocation(entry.allocation, offset() as never, size() as never);
        }
      },
    },
    {
      weight: 6,
      name: 'touchView',
      run: (_own, args) => {
        // Reads and writes through a live or stale view: never a signal.
        const view = pick(views);
        if (!view) return;
        args.push(view.byteLength);
        if (view.byteLength > 0) {
          view[int(view.byteLength)] = int(256);
          view.fill(int(256), 0, Math.min(64, view.byteLength));
        }
        if (views.length > 64) views.splice(0, 32);
      },
    },
    {
      weight: 2,
      name: 'getMemoryBudget',
      run: (own) => {
        own?.device.getMemoryBudget();
      },
    },
  ];
  const total = ops.reduce((sum, op) => sum + op.weight, 0);
  const chooseOp = () => {
    let roll = random() * total;
    for (const op of ops) {
      roll -= op.weight;
      if (roll < 0) return op;
    }
    return ops[ops.length - 1]!;
  };

  const counts: Record<string, number> = {};
  const findings: { seed: number; index: number; call: string; problem: string }[] = [];
  let calls = 0;
  for (let index = 0; index < p.calls; index++) {
    const op = chooseOp();
    const own = pick(devices);
    const args: unknown[] = [];
    const stateOf = () =>
      own && !own.device.isDestroyed ? probe(own.device, own.memories, own.ranges, own.instance) : 'none';
    const before = stateOf();
    calls++;
    try {
      op.run(own, args);
      counts.ok = (counts.ok ?? 0) + 1;
    } catch (error) {
      const kind = error instanceof ArgumentOwnError ? 'ArgumentOwnError' : classify(error);
      counts[kind] = (counts[kind] ?? 0) + 1;
      const call = `${op.name}(${args.map(show).join(', ')})`;
      if (kind !== 'ArgumentOwnError' && !ALLOWED.includes(kind)) {
        findings.push({
          seed: p.seed,
          index,
          call,
          problem: `threw ${kind}: ${(error as Error)?.message?.slice(0, 300)}`,
        });
      }
      // Ops that do several calls (the pool trimming) may have changed state before throwing: only single calls count.
      const after = stateOf();
      if (before !== after && SINGLE_CALL.has(op.name) && !own?.device.isDestroyed) {
        findings.push({ seed: p.seed, index, call, problem: `state changed after ${kind}: ${before} -> ${after}` });
      }
      if (findings.length >= 25) break;
    }
  }
  for (const instance of instances) if (!instance.isDestroyed) instance.destroy();
  return { seed: p.seed, calls, counts, findings };
}

const SINGLE_CALL = new Set([
  'mapMemory',
  'mapMemory2',
  'unmapMemory',
  'unmapMemory2',
  'flushOrInvalidate',
  'freeMemory',
  'bindBufferMemory',
]);

function show(value: unknown, depth = 0): string {
  if (depth > 3) return '…';
  try {
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'symbol') return value.toString();
    if (value === undefined) return 'undefined';
    if (typeof value === 'object' && value !== null) {
      if (util.types.isProxy(value)) return 'Proxy';
      if ((value as { objectType?: unknown }).objectType) {
        const handle = value as { objectType: string; handle?: unknown };
        return `${handle.objectType}(${String(handle.handle)})`;
      }
      return `{${Object.keys(value)
        .map((k) => {
          const d = Object.getOwnPropertyDescriptor(value, k);
          return `${k}: ${d?.get ? 'getter' : show(d?.value, depth + 1)}`;
        })
        .join(', ')}}`;
    }
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '?';
  }
}
