import type { ValidationFailure } from './errors.js';

/**
 * One call that broke valid-usage rules (`severity` 'error': it was not forwarded), or one whose host access to
 * mapped memory is hazardous (`severity` 'warning', in 'report' mode: it was forwarded).
 */
export interface ValidationReport {
  readonly command: string;
  readonly severity: 'error' | 'warning';
  readonly failures: readonly ValidationFailure[];
}

/** A descriptor binding that a shader's entry point statically uses. */
export interface ShaderBindingInterface {
  readonly set: number;
  readonly binding: number;
  /** VkDescriptorType: VK_DESCRIPTOR_TYPE_STORAGE_BUFFER (7) or VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER (6). */
  readonly descriptorType: number;
  /** Descriptors in the binding: 1, or the length of an array of blocks. */
  readonly descriptorCount: number;
}

/** What the validation layer checks a compute entry point against its pipeline layout with. */
export interface ShaderEntryPointInterface {
  readonly name: string;
  readonly bindings: readonly ShaderBindingInterface[];
  /** The bytes of the push constant block the entry point uses, [offset, offset + size); undefined when none. */
  readonly pushConstants: { readonly offset: number; readonly size: number } | undefined;
}

/** A shader module's compute entry points, as a reflector reads them from its SPIR-V. */
export interface ShaderInterface {
  readonly entryPoints: readonly ShaderEntryPointInterface[];
}

/**
 * Reads a module's resource interface from its SPIR-V words, with a pipeline's specialization applied when
 * given (array lengths may depend on it). Throws when it cannot read the module; the layer then checks the
 * pipeline's layout against nothing. `@vkmap/spirv` exports one: `shaderInterface`.
 */
export type ShaderReflector = (
  code: Uint32Array,
  specialization?: {
    readonly mapEntries: readonly { readonly constantID: number; readonly offset: number; readonly size: number }[];
    readonly data: Uint8Array;
  },
) => ShaderInterface;

export interface ValidationLayerOptions {
  /**
   * 'throw' (default): a failing call throws `ValidationError` and is not forwarded.
   * 'report': a failing call is given to `onReport` (like a debug messenger) and is not forwarded; a call
   * that returns nothing (free, unmap, flush, invalidate) then returns as a no-op would, and one that must
   * return an object (allocateMemory, mapMemory, mapMemory2) throws the `ValidationError` too, having nothing
   * to return. Use it to collect every problem of a run. A host-access hazard alone is a warning in 'report'
   * mode (the call is forwarded), an error in 'throw' mode.
   */
  readonly mode?: 'throw' | 'report';
  readonly onReport?: (report: ValidationReport) => void;
  /** In 'report' mode, identical reports (same command and VUID set) past this count are dropped. Default 10. */
  readonly duplicateLimit?: number;
  /** Also name each rule by its pre-1.4 KHR spelling (VUID-vkMapMemory2KHR-...), when it has one. */
  readonly reportKhrAliases?: boolean;
  /**
   * Reads shader modules' resource interfaces, for the rules of a compute pipeline against its layout
   * (VUID-VkComputePipelineCreateInfo-layout-07988 and its siblings). Without one those rules are not checked.
   */
  readonly reflectShader?: ShaderReflector;
}
