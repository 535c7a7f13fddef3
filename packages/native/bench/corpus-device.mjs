// Runs the SPIR-V corpus (@vkmap/spirv/corpus) on any vkmap Device through the public compute API, the way an
// application would: one buffer per corpus buffer, each in its own HOST_VISIBLE memory, persistently mapped,
// written through the mapping and flushed where the memory is not HOST_COHERENT; shader modules, descriptor
// set layouts and pipeline layouts from each shader's reflected bindings and push constant block; one
// pipeline per shader and specialization; one command buffer holding every dispatch of a run with a
// COMPUTE -> COMPUTE barrier between dispatches and a COMPUTE -> HOST barrier after the last; a fence waited;
// the mappings invalidated where not coherent and read. Shared by the cross-backend corpus test
// (test/spirv-corpus.test.ts) and the side-by-side benchmark (bench/spirv-prefix-sum.bench.mjs); types in
// corpus-device.d.mts.
import {
  VK_WHOLE_SIZE,
  VkAccessFlagBits,
  VkBufferUsageFlagBits,
  VkDescriptorType,
  VkMemoryPropertyFlagBits,
  VkPipelineBindPoint,
  VkPipelineStageFlagBits,
  VkQueueFlagBits,
  VkShaderStageFlagBits,
} from '@vkmap/core';
import { parseModule, reflect } from '@vkmap/spirv';
import { corpusFile, readCorpusShader, specializationInfo } from '@vkmap/spirv/corpus';

const UINT64_MAX = 0xffff_ffff_ffff_ffffn;
const COMPUTE = VkShaderStageFlagBits.VK_SHADER_STAGE_COMPUTE_BIT;
const BIND_COMPUTE = VkPipelineBindPoint.VK_PIPELINE_BIND_POINT_COMPUTE;
const { VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT } = VkPipelineStageFlagBits;
const { VK_ACCESS_SHADER_READ_BIT, VK_ACCESS_SHADER_WRITE_BIT, VK_ACCESS_HOST_READ_BIT } = VkAccessFlagBits;
const { VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT: HOST_VISIBLE, VK_MEMORY_PROPERTY_HOST_COHERENT_BIT: HOST_COHERENT } =
  VkMemoryPropertyFlagBits;
const DESCRIPTOR = {
  'storage-buffer': {
    type: VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
    usage: VkBufferUsageFlagBits.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
  },
  'uniform-buffer': {
    type: VkDescriptorType.VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
    usage: VkBufferUsageFlagBits.VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
  },
};

const wholeRange = (memory) => [{ memory, offset: 0, size: VK_WHOLE_SIZE }];

/** A run's buffers, descriptor sets and recorded command buffer on one device; submit it any number of times. */
class PreparedRun {
  #device;
  #queue;
  #commandPool;
  #buffers;
  #pool;
  #commandBuffer;
  #fence;
  #submitted = false;

  constructor(device, queue, commandPool, buffers, pool, commandBuffer) {
    this.#device = device;
    this.#queue = queue;
    this.#commandPool = commandPool;
    this.#buffers = buffers;
    this.#pool = pool;
    this.#commandBuffer = commandBuffer;
    this.#fence = device.createFence();
  }

  /** Whether every buffer's memory is HOST_COHERENT (no flush or invalidate made). */
  get coherent() {
    return [...this.#buffers.values()].every((b) => b.mapping.isCoherent);
  }

  upload(bytesByName) {
    for (const [name, bytes] of Object.entries(bytesByName)) {
      const target = this.#buffers.get(name);
      if (!target) throw new Error(`the run has no buffer "${name}"`);
      target.mapping.data.set(bytes);
      if (!target.mapping.isCoherent) this.#device.flushMappedMemoryRanges(wholeRange(target.memory));
    }
  }

  #submit() {
    if (this.#submitted) this.#device.resetFences([this.#fence]);
    this.#device.queueSubmit(this.#queue, [{ commandBuffers: [this.#commandBuffer] }], this.#fence);
    this.#submitted = true;
  }

  submit() {
    this.#submit();
    const status = this.#device.waitForFences([this.#fence], true, UINT64_MAX);
    if (status !== 'VK_SUCCESS') throw new Error(`waitForFences returned ${status}`);
  }

  async submitAsync() {
    this.#submit();
    const status = await this.#device.waitForFencesAsync([this.#fence], true, UINT64_MAX);
    if (status !== 'VK_SUCCESS') throw new Error(`waitForFencesAsync returned ${status}`);
  }

  read() {
    const out = {};
    for (const [name, { memory, mapping, size }] of this.#buffers) {
      if (!mapping.isCoherent) this.#device.invalidateMappedMemoryRanges(wholeRange(memory));
      out[name] = mapping.data.slice(0, size);
    }
    return out;
  }

  destroy() {
    const device = this.#device;
    device.freeCommandBuffers(this.#commandPool, [this.#commandBuffer]);
    device.destroyFence(this.#fence);
    device.destroyDescriptorPool(this.#pool);
    for (const { buffer, memory } of this.#buffers.values()) {
      device.unmapMemory(memory);
      device.destroyBuffer(buffer);
      device.freeMemory(memory);
    }
  }
}

export class CorpusDevice {
  #device;
  #memoryTypes;
  #preferNonCoherent;
  #commandPool;
  #shaders = new Map();
  #pipelines = new Map();

  constructor(physicalDevice, device, { preferNonCoherent = false } = {}) {
    this.#device = device;
    this.#memoryTypes = physicalDevice.getMemoryProperties().memoryTypes;
    this.#preferNonCoherent = preferNonCoherent;
    this.queueFamilyIndex = physicalDevice
      .getQueueFamilyProperties()
      .findIndex((family) => (family.queueFlags & VkQueueFlagBits.VK_QUEUE_COMPUTE_BIT) !== 0);
    if (this.queueFamilyIndex < 0) throw new Error('the device has no COMPUTE queue family');
    this.queue = device.getDeviceQueue(this.queueFamilyIndex, 0);
    this.#commandPool = device.createCommandPool({ queueFamilyIndex: this.queueFamilyIndex });
  }

  /** A HOST_VISIBLE memory type among `memoryTypeBits`: a non-coherent one first where preferred and offered. */
  #memoryType(memoryTypeBits) {
    const visible = this.#memoryTypes
      .map((type, index) => ({ index, flags: type.propertyFlags }))
      .filter(({ index, flags }) => (memoryTypeBits >>> index) & 1 && flags & HOST_VISIBLE);
    const pick = (this.#preferNonCoherent && visible.find(({ flags }) => !(flags & HOST_COHERENT))) || visible[0];
    if (!pick) throw new Error(`no HOST_VISIBLE memory type in memoryTypeBits 0x${memoryTypeBits.toString(16)}`);
    return pick.index;
  }

  /** A corpus file's shader module, reflection, descriptor set layouts and pipeline layout (made once). */
  #shader(file) {
    let shader = this.#shaders.get(file);
    if (shader) return shader;
    const device = this.#device;
    const bytes = readCorpusShader(file);
    const code = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const [entry] = reflect(parseModule(code)).entryPoints;
    const sets = Math.max(0, ...entry.bindings.map((b) => b.set + 1));
    const setLayouts = Array.from({ length: sets }, (_, set) =>
      device.createDescriptorSetLayout({
        bindings: entry.bindings
          .filter((b) => b.set === set)
          .map((b) => ({
            binding: b.binding,
            descriptorType: DESCRIPTOR[b.kind].type,
            descriptorCount: b.descriptorCount,
            stageFlags: COMPUTE,
          })),
      }),
    );
    const layout = device.createPipelineLayout({
      setLayouts,
      pushConstantRanges: entry.pushConstants
        ? [{ stageFlags: COMPUTE, offset: 0, size: entry.pushConstants.size }]
        : [],
    });
    shader = { module: device.createShaderModule({ code }), entry, setLayouts, layout };
    this.#shaders.set(file, shader);
    return shader;
  }

  #pipeline(file, specialization) {
    const key = `${file} ${JSON.stringify(specialization ?? [])}`;
    let pipeline = this.#pipelines.get(key);
    if (!pipeline) {
      const { module, entry, layout } = this.#shader(file);
      const info = specialization && specializationInfo(specialization);
      [pipeline] = this.#device.createComputePipelines([
        {
          stage: {
            stage: COMPUTE,
            module,
            name: entry.name,
            ...(info && { specializationInfo: info }),
          },
          layout,
        },
      ]);
      this.#pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  /**
   * Creates `run`'s buffers (compiled form: that of `caseFile`) and pipelines, binds its descriptor sets and
   * records its dispatches; the buffers are mapped but not written (`upload` writes them).
   */
  prepare(run, caseFile) {
    const device = this.#device;
    // What each dispatch binds, checked against the shader's reflected bindings.
    const steps = run.dispatches.map((dispatch) => {
      const file = corpusFile(dispatch, caseFile);
      const shader = this.#shader(file);
      const bound = shader.entry.bindings.map((b) => {
        const slot = `${b.set}.${b.binding}`;
        const name = dispatch.bindings[slot];
        if (name === undefined || !(name in run.buffers)) throw new Error(`${file}: binding ${slot} is not bound`);
        return { ...b, name };
      });
      const extra = Object.keys(dispatch.bindings).filter(
        (slot) => !bound.some((b) => `${b.set}.${b.binding}` === slot),
      );
      if (extra.length > 0) throw new Error(`${file} does not use bindings ${extra.join(', ')}`);
      return { dispatch, file, shader, bound, pipeline: this.#pipeline(file, dispatch.specialization) };
    });

    const usage = new Map();
    for (const { bound } of steps)
      for (const b of bound) usage.set(b.name, (usage.get(b.name) ?? 0) | DESCRIPTOR[b.kind].usage);
    const buffers = new Map();
    for (const [name, bytes] of Object.entries(run.buffers)) {
      if (!usage.has(name)) throw new Error(`buffer "${name}" is bound by no dispatch`);
      const buffer = device.createBuffer({ size: bytes.byteLength, usage: usage.get(name) });
      const requirements = device.getBufferMemoryRequirements(buffer);
      const memory = device.allocateMemory({
        allocationSize: requirements.size,
        memoryTypeIndex: this.#memoryType(requirements.memoryTypeBits),
      });
      device.bindBufferMemory(buffer, memory, 0);
      buffers.set(name, {
        buffer,
        memory,
        mapping: device.mapMemory(memory, 0, VK_WHOLE_SIZE),
        size: bytes.byteLength,
      });
    }

    // One descriptor set per set layout of each distinct (shader, bindings).
    const distinct = new Map();
    for (const step of steps) {
      const key = `${step.file} ${JSON.stringify(step.dispatch.bindings)}`;
      if (!distinct.has(key)) distinct.set(key, step);
      step.key = key;
    }
    const counts = new Map();
    let maxSets = 0;
    for (const { shader, bound } of distinct.values()) {
      maxSets += shader.setLayouts.length;
      for (const b of bound) {
        const type = DESCRIPTOR[b.kind].type;
        counts.set(type, (counts.get(type) ?? 0) + b.descriptorCount);
      }
    }
    const pool = device.createDescriptorPool({
      maxSets,
      poolSizes: [...counts].map(([type, descriptorCount]) => ({ type, descriptorCount })),
    });
    const setsByKey = new Map();
    for (const [key, { shader, bound }] of distinct) {
      const sets = device.allocateDescriptorSets({ descriptorPool: pool, setLayouts: shader.setLayouts });
      device.updateDescriptorSets(
        bound.map((b) => ({
          dstSet: sets[b.set],
          dstBinding: b.binding,
          descriptorType: DESCRIPTOR[b.kind].type,
          bufferInfo: [{ buffer: buffers.get(b.name).buffer, offset: 0, range: VK_WHOLE_SIZE }],
        })),
      );
      setsByKey.set(key, sets);
    }

    const [commandBuffer] = device.allocateCommandBuffers({
      commandPool: this.#commandPool,
      commandBufferCount: 1,
    });
    device.beginCommandBuffer(commandBuffer);
    steps.forEach(({ dispatch, shader, pipeline, key }, i) => {
      if (i > 0) {
        device.cmdPipelineBarrier(commandBuffer, {
          srcStageMask: VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
          dstStageMask: VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
          memoryBarriers: [
            {
              srcAccessMask: VK_ACCESS_SHADER_WRITE_BIT,
              dstAccessMask: VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT,
            },
          ],
        });
      }
      device.cmdBindPipeline(commandBuffer, BIND_COMPUTE, pipeline);
      device.cmdBindDescriptorSets(commandBuffer, BIND_COMPUTE, shader.layout, 0, setsByKey.get(key));
      if (dispatch.pushConstants) {
        device.cmdPushConstants(commandBuffer, shader.layout, COMPUTE, 0, dispatch.pushConstants);
      }
      device.cmdDispatch(commandBuffer, ...dispatch.groupCount);
    });
    device.cmdPipelineBarrier(commandBuffer, {
      srcStageMask: VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
      dstStageMask: VK_PIPELINE_STAGE_HOST_BIT,
      memoryBarriers: [{ srcAccessMask: VK_ACCESS_SHADER_WRITE_BIT, dstAccessMask: VK_ACCESS_HOST_READ_BIT }],
    });
    device.endCommandBuffer(commandBuffer);
    return new PreparedRun(device, this.queue, this.#commandPool, buffers, pool, commandBuffer);
  }

  /** Runs `run` once (upload, submit, fence wait, read); returns every buffer's final bytes, by name. */
  run(run, caseFile) {
    const prepared = this.prepare(run, caseFile);
    try {
      prepared.upload(run.buffers);
      prepared.submit();
      return prepared.read();
    } finally {
      prepared.destroy();
    }
  }

  /** Destroys the pipelines, layouts, shader modules and command pool (not the device). */
  destroy() {
    const device = this.#device;
    for (const pipeline of this.#pipelines.values()) device.destroyPipeline(pipeline);
    for (const { module, setLayouts, layout } of this.#shaders.values()) {
      device.destroyPipelineLayout(layout);
      for (const setLayout of setLayouts) device.destroyDescriptorSetLayout(setLayout);
      device.destroyShaderModule(module);
    }
    device.destroyCommandPool(this.#commandPool);
    this.#pipelines.clear();
    this.#shaders.clear();
  }
}
