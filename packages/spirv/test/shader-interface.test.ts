// shaderInterface: the resource interface in the shape @vkmap/core's validation layer takes (reflectShader).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shaderInterface } from '../src/index.js';
import { SHADERS } from './helpers.js';

const bytes = (file: string) => new Uint8Array(readFileSync(new URL(file, SHADERS)));

describe('shaderInterface', () => {
  it('gives each binding its VkDescriptorType and count, and the push constant block its bytes', () => {
    expect(shaderInterface(bytes('saxpy.spv'))).toEqual({
      entryPoints: [
        {
          name: 'main',
          bindings: [
            { set: 0, binding: 0, descriptorType: 7, descriptorCount: 1 },
            { set: 0, binding: 1, descriptorType: 7, descriptorCount: 1 },
          ],
          pushConstants: { offset: 0, size: 8 },
        },
      ],
    });
  });

  it('reads the same interface from the optimized module, and none for a shader without push constants', () => {
    expect(shaderInterface(bytes('saxpy.opt.spv')).entryPoints[0]!.pushConstants).toEqual({ offset: 0, size: 8 });
    expect(shaderInterface(bytes('spec_scale.spv')).entryPoints[0]).toMatchObject({
      pushConstants: undefined,
      bindings: [{ binding: 0 }, { binding: 1 }, { binding: 2 }],
    });
  });

  it('applies a specialization given as VkSpecializationInfo passes it', () => {
    const data = new Uint8Array(4);
    new DataView(data.buffer).setUint32(0, 16, true);
    const specialized = shaderInterface(bytes('spec_scale.spv'), {
      mapEntries: [{ constantID: 0, offset: 0, size: 4 }],
      data,
    });
    expect(specialized.entryPoints.map((e) => e.name)).toEqual(['main']);
  });

  it('throws for words that are not SPIR-V', () => {
    expect(() => shaderInterface(Uint32Array.of(1, 2, 3, 4, 5))).toThrow(/not a SPIR-V module/);
  });
});
