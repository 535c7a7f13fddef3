import { describe, expect, it } from 'vitest';
import type { DeviceTarget, HostVisibleType, TransferPlan } from '../src/device-target.js';
import { deviceAccessSkip, SKIP } from '../src/skips.js';

const type = (index: number): HostVisibleType => ({
  index,
  propertyFlags: 0x2,
  heapIndex: 0,
  heapSize: 1n << 30n,
  coherent: false,
  label: `type ${index} (HOST_VISIBLE)`,
});

const plan: TransferPlan = {
  queueFamilyIndex: 0,
  alignment: 16n,
  memoryTypeBits: 0b0101,
  stagingTypeIndex: 0,
  stagingCoherent: true,
};

function target(transfer: TransferPlan | undefined, directAccess: boolean): DeviceTarget {
  return { capabilities: { transfer, directAccess } } as unknown as DeviceTarget;
}

describe('device-side access skips', () => {
  it('runs through transfers on every type a transfer buffer may use, with or without a direct hook', () => {
    expect(deviceAccessSkip(target(plan, false), type(0))).toBeUndefined();
    expect(deviceAccessSkip(target(plan, true), type(2))).toBeUndefined();
  });

  it('falls back to the direct hook for other types, and says why where there is none', () => {
    expect(deviceAccessSkip(target(plan, true), type(1))).toBeUndefined();
    expect(deviceAccessSkip(target(plan, false), type(1))).toBe(SKIP.notForTransfers);
  });

  it('needs a queue or the hook', () => {
    expect(deviceAccessSkip(target(undefined, true), type(0))).toBeUndefined();
    expect(deviceAccessSkip(target(undefined, false), type(0))).toBe(SKIP.noDeviceAccess);
  });
});
