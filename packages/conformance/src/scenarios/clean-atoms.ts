/**
 * A flush writes back only the atoms the host wrote. Clean atoms are like clean cache lines: the
 * specification has a flush make host writes available, and an atom the host did not write holds none, so
 * the device's own writes to it must survive a flush of a range that covers it. Device bytes are written
 * where the host never writes, host bytes elsewhere, the whole mapping is flushed, and what the device then
 * reads is checked against the reference model (which knows both sides); then the same again with the
 * roles of the atoms swapped, and an invalidate.
 */
import { expect } from 'vitest';
import { alignUp, VK_WHOLE_SIZE, type DeviceMemory, type MappedMemory } from '@vkmap/core';
import { pattern } from '../bytes.js';
import { withContext } from '../context.js';
import type { HostVisibleType } from '../device-target.js';
import { mapMemory1 } from '../entry-points.js';
import { ReferenceMemory, type ByteMismatch } from '../reference-model.js';
import { deviceAccessSkip, SKIP, type ScenarioSpec, type TargetContext } from '../scenario.js';
import type { ScenarioSession } from '../session.js';

/** At least this many atoms per allocation, so first, middle and last positions are all distinct. */
const MIN_ATOMS = 8;

/** Allocates `size` bytes of `type`, maps all of it, runs `body`, frees. */
function withWholeMap(
  session: ScenarioSession,
  type: HostVisibleType,
  size: number,
  body: (memory: DeviceMemory, mapping: MappedMemory) => void,
): void {
  const { device } = session;
  const memory = device.allocateMemory({ allocationSize: size, memoryTypeIndex: type.index });
  try {
    body(memory, mapMemory1.map(device, memory, 0n, VK_WHOLE_SIZE));
  } finally {
    device.freeMemory(memory);
  }
}

function describeMismatch(side: 'device' | 'host', mismatch: ByteMismatch, atom: number): string {
  return (
    `the ${side} reads 0x${mismatch.actual.toString(16)} at byte ${mismatch.offset} (atom ${Math.floor(mismatch.offset / atom)}), ` +
    `the model expects 0x${mismatch.expected.toString(16)}`
  );
}

/** A flush of a range the host never wrote keeps a device write (one byte at 64, as first reported). */
function untouchedRangeKeepsDeviceWrite(session: ScenarioSession, type: HostVisibleType): void {
  const access = session.requireAccess(type);
  const size = Number(alignUp(256n, session.target.atomSize));
  withWholeMap(session, type, size, (memory) => {
    access.write(memory, 64, Uint8Array.of(181));
    session.device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
    expect(access.read(memory, 64, 1)[0], 'device byte 64 after a flush of memory the host never wrote').toBe(181);
  });
}

/**
 * Device writes in some atoms, host writes in others, whole flushes: device bytes of atoms the host did not
 * write survive, host-written atoms reach the device; then the atoms swap roles, and an invalidate brings the
 * device's bytes to the host.
 */
function deviceWritesOfCleanAtomsSurvive(session: ScenarioSession, type: HostVisibleType): void {
  const { device } = session;
  const access = session.requireAccess(type);
  const atom = Number(session.target.atomSize);
  const atoms = Math.max(MIN_ATOMS, Math.ceil(256 / atom));
  const size = atoms * atom;
  const middle = Math.floor(atoms / 2);
  const model = new ReferenceMemory(size, atom, type.coherent);
  const flushWhole = (memory: DeviceMemory) => {
    device.flushMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
    model.flush(0, size);
  };
  const checkDevice = (memory: DeviceMemory, what: string) => {
    const mismatch = model.checkDeviceRead(0, access.read(memory, 0, size));
    if (mismatch) throw new Error(`${what}: ${describeMismatch('device', mismatch, atom)}`);
  };
  const checkHost = (mapping: MappedMemory, what: string) => {
    const mismatch = model.checkRead(0, mapping.data);
    if (mismatch) throw new Error(`${what}: ${describeMismatch('host', mismatch, atom)}`);
  };
  const deviceWrite = (memory: DeviceMemory, offset: number, bytes: Uint8Array) => {
    access.write(memory, offset, bytes);
    model.deviceWrite(offset, bytes);
  };
  /** A host store that changes the byte (the host's current value is checked against the model first). */
  const hostFlip = (mapping: MappedMemory, offset: number) => {
    const mismatch = model.checkRead(offset, mapping.data.subarray(offset, offset + 1));
    if (mismatch) throw new Error(`host read before a store: ${describeMismatch('host', mismatch, atom)}`);
    mapping.data[offset] = mapping.data[offset]! ^ 0xff;
    model.write(offset, mapping.data.subarray(offset, offset + 1));
  };
  const hostWrite = (mapping: MappedMemory, offset: number, bytes: Uint8Array) => {
    mapping.data.set(bytes, offset);
    model.write(offset, bytes);
  };

  withWholeMap(session, type, size, (memory, mapping) => {
    withContext(
      `device writes atoms 0, ${middle} (one byte) and ${atoms - 1}; the host writes atoms 1, 2 and ${middle + 1}`,
      () => {
        deviceWrite(memory, 0, pattern(71, atom));
        deviceWrite(memory, middle * atom + Math.floor(atom / 2), Uint8Array.of(181));
        deviceWrite(memory, (atoms - 1) * atom, pattern(72, atom));
        hostWrite(mapping, atom, pattern(73, atom));
        hostFlip(mapping, 3 * atom - 1);
        hostFlip(mapping, (middle + 1) * atom);
        flushWhole(memory);
        checkDevice(memory, 'device bytes after the first whole flush');
        expect(
          model.deviceExpectedAt(middle * atom + Math.floor(atom / 2)),
          'the model keeps the device byte too',
        ).toBe(181);
      },
    );
    withContext(`roles swapped: device writes atoms 1 and ${middle + 1}, the host atoms 0 and ${atoms - 1}`, () => {
      deviceWrite(memory, atom, pattern(74, atom));
      deviceWrite(memory, (middle + 1) * atom, pattern(75, 1));
      hostFlip(mapping, 0);
      hostFlip(mapping, size - 1);
      flushWhole(memory);
      checkDevice(memory, 'device bytes after the second whole flush');
    });
    withContext('invalidate, then a flush with no host write in between', () => {
      device.invalidateMappedMemoryRanges([{ memory, offset: 0, size: VK_WHOLE_SIZE }]);
      model.invalidate(0, size);
      checkHost(mapping, 'host bytes after the invalidate');
      deviceWrite(memory, middle * atom, pattern(76, atom));
      flushWhole(memory);
      checkDevice(memory, 'device bytes after a flush of atoms the host did not write since the invalidate');
    });
  });
}

const PATH = 'flush writes back only atoms the host wrote';

export function cleanAtomScenarios(ctx: TargetContext): ScenarioSpec[] {
  const { target } = ctx;
  if (target.hostVisibleTypes.length === 0) {
    return [
      {
        group: 'mapping',
        path: [PATH],
        title: 'every memory type',
        skipReason: SKIP.noHostVisibleType,
        body: () => {},
      },
    ];
  }
  return target.hostVisibleTypes.flatMap((type): ScenarioSpec[] => {
    const skipReason = deviceAccessSkip(target, type);
    return [
      {
        group: 'mapping',
        path: [PATH, type.label],
        title: 'a device write at byte 64 survives a whole flush of memory the host never wrote',
        skipReason,
        body: (session) => untouchedRangeKeepsDeviceWrite(session, type),
      },
      {
        group: 'mapping',
        path: [PATH, type.label],
        title:
          'device writes to atoms the host did not write survive whole flushes; host-written atoms reach the device',
        skipReason,
        body: (session) => deviceWritesOfCleanAtomsSurvive(session, type),
      },
    ];
  });
}
