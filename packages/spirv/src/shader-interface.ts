// A module's resource interface in the shape @vkmap/core's validation layer reads it with
// (`ValidationLayerOptions.reflectShader`): per compute entry point, the descriptor bindings it statically uses
// (set, binding, VkDescriptorType, descriptor count) and the bytes of the push constant block it uses. The type
// is structural, so this package does not depend on @vkmap/core.
import { specializationFromBytes, type SpecializationMapEntry } from './constants.js';
import { parseModule } from './module.js';
import { reflect } from './reflect.js';

/** VkDescriptorType of each descriptor kind. */
const DESCRIPTOR_TYPES = { 'storage-buffer': 7, 'uniform-buffer': 6 } as const;

export interface ShaderInterface {
  readonly entryPoints: readonly {
    readonly name: string;
    readonly bindings: readonly {
      readonly set: number;
      readonly binding: number;
      readonly descriptorType: number;
      readonly descriptorCount: number;
    }[];
    /** The push constant block's bytes it uses, [offset, offset + size): from its first member to its end. */
    readonly pushConstants: { readonly offset: number; readonly size: number } | undefined;
  }[];
}

/**
 * The resource interface of a module's compute entry points, with a pipeline's specialization applied when
 * given (as VkSpecializationInfo passes it). Throws SpirvError for a module this package cannot read.
 */
export function shaderInterface(
  code: Uint32Array | Uint8Array | ArrayBuffer,
  specialization?: { readonly mapEntries: readonly SpecializationMapEntry[]; readonly data: Uint8Array },
): ShaderInterface {
  const module = parseModule(code);
  const values = specialization
    ? specializationFromBytes(module, specialization.mapEntries, specialization.data)
    : undefined;
  return {
    entryPoints: reflect(module, values).entryPoints.map((entry) => {
      const block = entry.pushConstants;
      const offset = block ? Math.min(...block.layout.members.map((member) => member.offset), block.size) : 0;
      return {
        name: entry.name,
        bindings: entry.bindings.map((b) => ({
          set: b.set,
          binding: b.binding,
          descriptorType: DESCRIPTOR_TYPES[b.kind],
          descriptorCount: b.descriptorCount,
        })),
        pushConstants: block ? { offset, size: block.size - offset } : undefined,
      };
    }),
  };
}
