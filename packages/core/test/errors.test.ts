import { describe, expect, it, vi } from 'vitest';

type Errors = typeof import('../src/errors.js');

/** Two independent evaluations of the errors module: what two installed copies of @vkmap/core give. */
async function twoCopies(): Promise<[Errors, Errors]> {
  const a = await import('../src/errors.js');
  vi.resetModules();
  const b = await import('../src/errors.js');
  return [a, b];
}

describe('error identity across copies of @vkmap/core', () => {
  it('instanceof and the guards recognise the errors of another copy, class by class', async () => {
    const [a, b] = await twoCopies();
    expect(a.VkError).not.toBe(b.VkError);
    const vk = new a.VkError('vkAllocateMemory', 'VK_ERROR_OUT_OF_DEVICE_MEMORY');
    expect(vk).toBeInstanceOf(b.VkError);
    expect(vk).toBeInstanceOf(b.VkmapError);
    expect(vk).not.toBeInstanceOf(b.ValidationError);
    expect(vk).not.toBeInstanceOf(b.VkmapStateError);
    expect(b.isVkError(vk)).toBe(true);
    expect(b.isVkmapError(vk)).toBe(true);
    expect(b.isValidationError(vk)).toBe(false);
    const validation = new a.ValidationError('vkMapMemory', [{ vuid: 'VUID-x', message: 'm', url: 'u' }]);
    expect(b.isValidationError(validation)).toBe(true);
    expect(validation).toBeInstanceOf(b.VkmapError);
    expect(validation).not.toBeInstanceOf(b.VkError);
    expect(new a.VkmapArgumentError('size', 'negative')).toBeInstanceOf(b.VkmapArgumentError);
    expect(new a.VkmapStateError('freed')).toBeInstanceOf(b.VkmapStateError);
  });

  it('subclasses outside @vkmap/core are their parents in every copy, and only themselves by identity', async () => {
    const [a, b] = await twoCopies();
    class LeakError extends a.VkmapStateError {}
    class OtherLeakError extends b.VkmapStateError {}
    const leak = new LeakError('leaked');
    expect(leak).toBeInstanceOf(b.VkmapStateError);
    expect(leak).toBeInstanceOf(b.VkmapError);
    expect(leak).toBeInstanceOf(LeakError);
    expect(leak).not.toBeInstanceOf(OtherLeakError);
    expect(leak).not.toBeInstanceOf(b.VkError);
  });

  it('look-alikes are not errors of any copy', async () => {
    const [, b] = await twoCopies();
    for (const value of [
      new Error('x'),
      { name: 'VkError', result: 'VK_ERROR_OUT_OF_DEVICE_MEMORY', code: -2 },
      null,
      undefined,
      'VkError',
      42,
    ]) {
      expect(value instanceof b.VkError).toBe(false);
      expect(b.isVkmapError(value)).toBe(false);
    }
  });
});
