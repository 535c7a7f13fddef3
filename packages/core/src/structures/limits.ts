/**
 * VkPhysicalDeviceLimits, whole: one table of its members in the order of the C structure, with each
 * member's C type and the value the specification requires of every implementation ("Required Limits":
 * the minimum of a maximum, the maximum of a granularity or alignment). The TypeScript type, the emulator's
 * defaults and the native backend's decoding of the C structure all come from this table.
 */

/** The C type of a member, which fixes its JavaScript type and its place in the C structure. */
export type LimitKind =
  | 'uint32'
  | 'int32'
  | 'float'
  | 'bool32'
  | 'sampleCountFlags'
  | 'deviceSize'
  | 'size'
  | 'uint32x2'
  | 'uint32x3'
  | 'floatx2';

type LimitValue<K extends LimitKind> = K extends 'deviceSize'
  ? bigint
  : K extends 'bool32'
    ? boolean
    : K extends 'uint32x2' | 'floatx2'
      ? readonly [number, number]
      : K extends 'uint32x3'
        ? readonly [number, number, number]
        : number;

interface LimitEntry<K extends LimitKind = LimitKind> {
  readonly kind: K;
  readonly required: LimitValue<K>;
}

const u32 = (required: number): LimitEntry<'uint32'> => ({ kind: 'uint32', required });
const i32 = (required: number): LimitEntry<'int32'> => ({ kind: 'int32', required });
const f32 = (required: number): LimitEntry<'float'> => ({ kind: 'float', required });
const samples = (required: number): LimitEntry<'sampleCountFlags'> => ({ kind: 'sampleCountFlags', required });
const deviceSize = (required: bigint): LimitEntry<'deviceSize'> => ({ kind: 'deviceSize', required });
const bool32 = (required: boolean): LimitEntry<'bool32'> => ({ kind: 'bool32', required });

/** VK_SAMPLE_COUNT_1_BIT | VK_SAMPLE_COUNT_4_BIT. */
const SAMPLES_1_4 = 0x5;

/** Every member of VkPhysicalDeviceLimits, in C order, with the specification's required value. */
export const PHYSICAL_DEVICE_LIMITS = {
  maxImageDimension1D: u32(4096),
  maxImageDimension2D: u32(4096),
  maxImageDimension3D: u32(256),
  maxImageDimensionCube: u32(4096),
  maxImageArrayLayers: u32(256),
  maxTexelBufferElements: u32(65536),
  maxUniformBufferRange: u32(16384),
  maxStorageBufferRange: u32(2 ** 27),
  maxPushConstantsSize: u32(128),
  maxMemoryAllocationCount: u32(4096),
  maxSamplerAllocationCount: u32(4000),
  bufferImageGranularity: deviceSize(131072n),
  sparseAddressSpaceSize: deviceSize(0n),
  maxBoundDescriptorSets: u32(4),
  maxPerStageDescriptorSamplers: u32(16),
  maxPerStageDescriptorUniformBuffers: u32(12),
  maxPerStageDescriptorStorageBuffers: u32(4),
  maxPerStageDescriptorSampledImages: u32(16),
  maxPerStageDescriptorStorageImages: u32(4),
  maxPerStageDescriptorInputAttachments: u32(4),
  maxPerStageResources: u32(128),
  maxDescriptorSetSamplers: u32(96),
  maxDescriptorSetUniformBuffers: u32(72),
  maxDescriptorSetUniformBuffersDynamic: u32(8),
  maxDescriptorSetStorageBuffers: u32(24),
  maxDescriptorSetStorageBuffersDynamic: u32(4),
  maxDescriptorSetSampledImages: u32(96),
  maxDescriptorSetStorageImages: u32(24),
  maxDescriptorSetInputAttachments: u32(4),
  maxVertexInputAttributes: u32(16),
  maxVertexInputBindings: u32(16),
  maxVertexInputAttributeOffset: u32(2047),
  maxVertexInputBindingStride: u32(2048),
  maxVertexOutputComponents: u32(64),
  maxTessellationGenerationLevel: u32(64),
  maxTessellationPatchSize: u32(32),
  maxTessellationControlPerVertexInputComponents: u32(64),
  maxTessellationControlPerVertexOutputComponents: u32(64),
  maxTessellationControlPerPatchOutputComponents: u32(120),
  maxTessellationControlTotalOutputComponents: u32(2048),
  maxTessellationEvaluationInputComponents: u32(64),
  maxTessellationEvaluationOutputComponents: u32(64),
  maxGeometryShaderInvocations: u32(32),
  maxGeometryInputComponents: u32(64),
  maxGeometryOutputComponents: u32(128),
  maxGeometryOutputVertices: u32(256),
  maxGeometryTotalOutputComponents: u32(1024),
  maxFragmentInputComponents: u32(64),
  maxFragmentOutputAttachments: u32(4),
  maxFragmentDualSrcAttachments: u32(1),
  maxFragmentCombinedOutputResources: u32(4),
  maxComputeSharedMemorySize: u32(16384),
  maxComputeWorkGroupCount: { kind: 'uint32x3', required: [65535, 65535, 65535] },
  maxComputeWorkGroupInvocations: u32(128),
  maxComputeWorkGroupSize: { kind: 'uint32x3', required: [128, 128, 64] },
  subPixelPrecisionBits: u32(4),
  subTexelPrecisionBits: u32(4),
  mipmapPrecisionBits: u32(4),
  maxDrawIndexedIndexValue: u32(2 ** 24 - 1),
  maxDrawIndirectCount: u32(1),
  maxSamplerLodBias: f32(2),
  maxSamplerAnisotropy: f32(1),
  maxViewports: u32(1),
  maxViewportDimensions: { kind: 'uint32x2', required: [4096, 4096] },
  viewportBoundsRange: { kind: 'floatx2', required: [-8192, 8191] },
  viewportSubPixelBits: u32(0),
  minMemoryMapAlignment: { kind: 'size', required: 64 },
  minTexelBufferOffsetAlignment: deviceSize(256n),
  minUniformBufferOffsetAlignment: deviceSize(256n),
  minStorageBufferOffsetAlignment: deviceSize(256n),
  minTexelOffset: i32(-8),
  maxTexelOffset: u32(7),
  minTexelGatherOffset: i32(-8),
  maxTexelGatherOffset: u32(7),
  minInterpolationOffset: f32(-0.5),
  maxInterpolationOffset: f32(0.4375),
  subPixelInterpolationOffsetBits: u32(4),
  maxFramebufferWidth: u32(4096),
  maxFramebufferHeight: u32(4096),
  maxFramebufferLayers: u32(256),
  framebufferColorSampleCounts: samples(SAMPLES_1_4),
  framebufferDepthSampleCounts: samples(SAMPLES_1_4),
  framebufferStencilSampleCounts: samples(SAMPLES_1_4),
  framebufferNoAttachmentsSampleCounts: samples(SAMPLES_1_4),
  maxColorAttachments: u32(4),
  sampledImageColorSampleCounts: samples(SAMPLES_1_4),
  sampledImageIntegerSampleCounts: samples(0x1),
  sampledImageDepthSampleCounts: samples(SAMPLES_1_4),
  sampledImageStencilSampleCounts: samples(SAMPLES_1_4),
  storageImageSampleCounts: samples(0x1),
  maxSampleMaskWords: u32(1),
  timestampComputeAndGraphics: bool32(false),
  timestampPeriod: f32(1),
  maxClipDistances: u32(8),
  maxCullDistances: u32(8),
  maxCombinedClipAndCullDistances: u32(8),
  discreteQueuePriorities: u32(2),
  pointSizeRange: { kind: 'floatx2', required: [1, 63.875] },
  lineWidthRange: { kind: 'floatx2', required: [1, 7.875] },
  pointSizeGranularity: f32(1),
  lineWidthGranularity: f32(1),
  strictLines: bool32(false),
  standardSampleLocations: bool32(false),
  optimalBufferCopyOffsetAlignment: deviceSize(1n),
  optimalBufferCopyRowPitchAlignment: deviceSize(1n),
  nonCoherentAtomSize: deviceSize(256n),
} as const satisfies Record<string, LimitEntry>;

type LimitTable = typeof PHYSICAL_DEVICE_LIMITS;
export type LimitName = keyof LimitTable;

/**
 * VkPhysicalDeviceLimits, every member, plus `maxMemoryAllocationSize` of
 * VkPhysicalDeviceMaintenance3Properties (core since Vulkan 1.1), which vkmap reports beside the other
 * allocation limits. Sizes (VkDeviceSize) are `bigint`; `size_t` (minMemoryMapAlignment) and the 32-bit
 * members are `number`; VkBool32 members are `boolean`.
 */
export type PhysicalDeviceLimits = {
  readonly [K in LimitName]: LimitValue<LimitTable[K]['kind']>;
} & {
  /** VkPhysicalDeviceMaintenance3Properties::maxMemoryAllocationSize. */
  readonly maxMemoryAllocationSize: bigint;
};

/** The limits that mapping code reads; every PhysicalDeviceLimits has them. */
export type PhysicalDeviceMappingLimits = Pick<
  PhysicalDeviceLimits,
  | 'minMemoryMapAlignment'
  | 'nonCoherentAtomSize'
  | 'maxMemoryAllocationCount'
  | 'maxMemoryAllocationSize'
  | 'bufferImageGranularity'
>;

/**
 * The limits every implementation meets, as a device that reports no more would; `maxMemoryAllocationSize`
 * has no required value and must be given.
 */
export function requiredLimits(maxMemoryAllocationSize: bigint): PhysicalDeviceLimits {
  const limits: Record<string, unknown> = { maxMemoryAllocationSize };
  for (const [name, entry] of Object.entries(PHYSICAL_DEVICE_LIMITS)) limits[name] = entry.required;
  return limits as PhysicalDeviceLimits;
}

/** Byte size and alignment of each kind in the C structure on this host (`size_t` of `pointerSize` bytes). */
function layoutOf(kind: LimitKind, pointerSize: number): { size: number; align: number; count: number } {
  switch (kind) {
    case 'deviceSize':
      return { size: 8, align: 8, count: 1 };
    case 'size':
      return { size: pointerSize, align: pointerSize, count: 1 };
    case 'uint32x2':
    case 'floatx2':
      return { size: 4, align: 4, count: 2 };
    case 'uint32x3':
      return { size: 4, align: 4, count: 3 };
    default:
      return { size: 4, align: 4, count: 1 };
  }
}

/**
 * Reads a VkPhysicalDeviceLimits as the C structure lays it out in memory (natural alignment, this host's
 * byte order and `size_t`), member by member from the table. Throws when `bytes` is not the structure's
 * size, which means the caller's C declaration and this table disagree.
 */
export function decodePhysicalDeviceLimits(
  bytes: Uint8Array,
  pointerSize: number,
  littleEndian: boolean,
  maxMemoryAllocationSize: bigint,
): PhysicalDeviceLimits {
  // Where each member lies, and the structure's size (its alignment is that of its 8-byte members).
  const members: { name: string; kind: LimitKind; offset: number; size: number; count: number }[] = [];
  let offset = 0;
  for (const [name, entry] of Object.entries(PHYSICAL_DEVICE_LIMITS) as [LimitName, LimitEntry][]) {
    const { size, align, count } = layoutOf(entry.kind, pointerSize);
    offset = Math.ceil(offset / align) * align;
    members.push({ name, kind: entry.kind, offset, size, count });
    offset += size * count;
  }
  const structSize = Math.ceil(offset / 8) * 8;
  if (bytes.byteLength !== structSize) {
    throw new Error(
      `VkPhysicalDeviceLimits is ${bytes.byteLength} bytes here, but its members lay out as ${structSize} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (kind: LimitKind, at: number): number | bigint | boolean => {
    switch (kind) {
      case 'deviceSize':
        return view.getBigUint64(at, littleEndian);
      case 'size':
        return pointerSize === 8 ? Number(view.getBigUint64(at, littleEndian)) : view.getUint32(at, littleEndian);
      case 'int32':
        return view.getInt32(at, littleEndian);
      case 'float':
      case 'floatx2':
        return view.getFloat32(at, littleEndian);
      case 'bool32':
        return view.getUint32(at, littleEndian) !== 0;
      default:
        return view.getUint32(at, littleEndian);
    }
  };
  const limits: Record<string, unknown> = { maxMemoryAllocationSize };
  for (const { name, kind, offset: at, size, count } of members) {
    limits[name] =
      count === 1 ? read(kind, at) : Object.freeze(Array.from({ length: count }, (_, i) => read(kind, at + i * size)));
  }
  return limits as PhysicalDeviceLimits;
}
