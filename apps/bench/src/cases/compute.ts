/**
 * Upload -> dispatch -> readback latency of a small buffer: the corpus's saxpy shader (@vkmap/spirv/corpus,
 * y = a * x + y) over persistently mapped HOST_VISIBLE buffers, as an application would drive it through the
 * public compute API. One operation: write x and y through the mappings (flushed where not HOST_COHERENT),
 * submit the recorded command buffer, wait for its fence, invalidate where needed and copy y out. The first
 * result is checked against the corpus's CPU reference.
 */
import { performance } from 'node:perf_hooks';
import {
  VK_WHOLE_SIZE,
  VkAccessFlagBits,
  VkBufferUsageFlagBits,
  VkDescriptorType,
  VkPipelineBindPoint,
  VkPipelineStageFlagBits,
  VkShaderStageFlagBits,
  type Device,
  type PhysicalDevice,
} from '@vkmap/core';
import { parseModule, reflect } from '@vkmap/spirv';
import { CORPUS, readCorpusShader } from '@vkmap/spirv/corpus';
import { HOST_COHERENT, HOST_VISIBLE } from '../protocol.js';

const UINT64_MAX = 0xffff_ffff_ffff_ffffn;
const COMPUTE = VkShaderStageFlagBits.VK_SHADER_STAGE_COMPUTE_BIT;
const BIND = VkPipelineBindPoint.VK_PIPELINE_BIND_POINT_COMPUTE;
const STORAGE = VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;

export function computeRoundTrip(
  physicalDevice: PhysicalDevice,
  device: Device,
  elements: number,
  iterations: number,
): number {
  const saxpy = CORPUS.find((shader) => shader.name === 'saxpy');
  if (!saxpy) throw new Error('the corpus has no saxpy shader');
  const run = saxpy.plan(elements, 1);
  const dispatch = run.dispatches[0]!;
  const expected = run.outputs['y']!.expected!;
  const bytes = readCorpusShader('saxpy.spv');
  const code = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const [entry] = reflect(parseModule(code)).entryPoints;
  if (!entry) throw new Error('saxpy.spv has no entry point');

  const memoryTypes = physicalDevice.getMemoryProperties().memoryTypes;
  const family = physicalDevice.getQueueFamilyProperties().findIndex((f) => (f.queueFlags & 0x2) !== 0);
  const queue = device.getDeviceQueue(family, 0);
  const made: (() => void)[] = [];
  try {
    // One buffer per binding ('0.0' -> x, '0.1' -> y), each in its own HOST_VISIBLE memory, mapped for good.
    const buffers = Object.entries(dispatch.bindings).map(([slot, name]) => {
      const initial = run.buffers[name]!;
      const buffer = device.createBuffer({
        size: initial.byteLength,
        usage: VkBufferUsageFlagBits.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
      });
      const requirements = device.getBufferMemoryRequirements(buffer);
      const type = memoryTypes.findIndex(
        (t, i) => (requirements.memoryTypeBits >>> i) & 1 && t.propertyFlags & HOST_VISIBLE,
      );
      if (type < 0) throw new Error('no HOST_VISIBLE memory type for a storage buffer');
      const memory = device.allocateMemory({ allocationSize: requirements.size, memoryTypeIndex: type });
      made.push(() => {
        device.destroyBuffer(buffer);
        device.freeMemory(memory);
      });
      device.bindBufferMemory(buffer, memory, 0);
      const mapping = device.mapMemory(memory, 0, VK_WHOLE_SIZE);
      const coherent = (memoryTypes[type]!.propertyFlags & HOST_COHERENT) !== 0;
      return { binding: Number(slot.split('.')[1]), name, initial, buffer, memory, view: mapping.data, coherent };
    });
    const setLayout = device.createDescriptorSetLayout({
      bindings: buffers.map((b) => ({
        binding: b.binding,
        descriptorType: STORAGE,
        descriptorCount: 1,
        stageFlags: COMPUTE,
      })),
    });
    made.push(() => device.destroyDescriptorSetLayout(setLayout));
    const pushSize = dispatch.pushConstants?.byteLength ?? 0;
    const layout = device.createPipelineLayout({
      setLayouts: [setLayout],
      pushConstantRanges: pushSize ? [{ stageFlags: COMPUTE, offset: 0, size: pushSize }] : [],
    });
    made.push(() => device.destroyPipelineLayout(layout));
    const module = device.createShaderModule({ code });
    made.push(() => device.destroyShaderModule(module));
    const [pipeline] = device.createComputePipelines([{ stage: { stage: COMPUTE, module, name: entry.name }, layout }]);
    made.push(() => device.destroyPipeline(pipeline!));
    const pool = device.createDescriptorPool({
      maxSets: 1,
      poolSizes: [{ type: STORAGE, descriptorCount: buffers.length }],
    });
    made.push(() => device.destroyDescriptorPool(pool));
    const [set] = device.allocateDescriptorSets({ descriptorPool: pool, setLayouts: [setLayout] });
    device.updateDescriptorSets(
      buffers.map((b) => ({
        dstSet: set!,
        dstBinding: b.binding,
        descriptorType: STORAGE,
        bufferInfo: [{ buffer: b.buffer, offset: 0, range: VK_WHOLE_SIZE }],
      })),
    );
    const commandPool = device.createCommandPool({ queueFamilyIndex: family });
    made.push(() => device.destroyCommandPool(commandPool));
    const [commandBuffer] = device.allocateCommandBuffers({ commandPool, commandBufferCount: 1 });
    device.beginCommandBuffer(commandBuffer!);
    device.cmdBindPipeline(commandBuffer!, BIND, pipeline!);
    device.cmdBindDescriptorSets(commandBuffer!, BIND, layout, 0, [set!]);
    if (dispatch.pushConstants) device.cmdPushConstants(commandBuffer!, layout, COMPUTE, 0, dispatch.pushConstants);
    device.cmdDispatch(commandBuffer!, ...dispatch.groupCount);
    device.cmdPipelineBarrier(commandBuffer!, {
      srcStageMask: VkPipelineStageFlagBits.VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
      dstStageMask: VkPipelineStageFlagBits.VK_PIPELINE_STAGE_HOST_BIT,
      memoryBarriers: [
        {
          srcAccessMask: VkAccessFlagBits.VK_ACCESS_SHADER_WRITE_BIT,
          dstAccessMask: VkAccessFlagBits.VK_ACCESS_HOST_READ_BIT,
        },
      ],
    });
    device.endCommandBuffer(commandBuffer!);
    const fence = device.createFence();
    made.push(() => device.destroyFence(fence));
    const output = buffers.find((b) => b.name === 'y')!;

    const roundTrip = (): Uint8Array => {
      for (const b of buffers) {
        b.view.set(b.initial);
        if (!b.coherent) device.flushMappedMemoryRanges([{ memory: b.memory, offset: 0, size: VK_WHOLE_SIZE }]);
      }
      device.resetFences([fence]);
      device.queueSubmit(queue, [{ commandBuffers: [commandBuffer!] }], fence);
      const status = device.waitForFences([fence], true, UINT64_MAX);
      if (status !== 'VK_SUCCESS') throw new Error(`waitForFences returned ${status}`);
      if (!output.coherent)
        device.invalidateMappedMemoryRanges([{ memory: output.memory, offset: 0, size: VK_WHOLE_SIZE }]);
      return output.view.slice(0, output.initial.byteLength);
    };

    const first = roundTrip();
    const a = new DataView(dispatch.pushConstants!.buffer, dispatch.pushConstants!.byteOffset).getFloat32(0, true);
    const x = buffers.find((b) => b.name === 'x')!.initial;
    const mismatch = firstMismatch(first, expected, fusedSaxpy(a, x, output.initial));
    if (mismatch !== undefined) throw new Error(`saxpy: the result differs from the CPU reference (${mismatch})`);
    const start = performance.now();
    for (let i = 0; i < iterations; i++) roundTrip();
    return ((performance.now() - start) * 1e6) / iterations;
  } finally {
    device.deviceWaitIdle();
    for (const destroy of made.reverse()) destroy();
  }
}

/** a*x + y with the multiply and add fused (one rounding): the product of two floats is exact in a double. */
function fusedSaxpy(a: number, x: Uint8Array, y: Uint8Array): Float32Array {
  const xs = new Float32Array(x.buffer.slice(x.byteOffset, x.byteOffset + x.byteLength));
  const ys = new Float32Array(y.buffer.slice(y.byteOffset, y.byteOffset + y.byteLength));
  return xs.map((xi, i) => Math.fround(a * xi + ys[i]!));
}

/**
 * Where a*x + y off the device first matches neither the CPU reference nor the fused result. SPIR-V lets a
 * driver fuse the multiply and the add (NVIDIA's does; lavapipe's does not), and with cancellation the two
 * differ by many ulps of the sum (measured on the H200: y[129] -0.7142428 against -0.7142410).
 */
function firstMismatch(actual: Uint8Array, expected: Uint8Array, fused: Float32Array): string | undefined {
  const got = new Float32Array(actual.buffer, actual.byteOffset, actual.byteLength / 4);
  const want = new Float32Array(expected.buffer.slice(expected.byteOffset, expected.byteOffset + expected.byteLength));
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i] && got[i] !== fused[i])
      return `y[${i}] = ${got[i]}, expected ${want[i]} (fused: ${fused[i]})`;
  }
  return undefined;
}
