/**
 * Compute dispatches over mapped memory, for every HOST_VISIBLE memory type a storage buffer may use, on
 * backends that run compute shaders (`canDispatch`). The shader (shaders/scale.comp) computes
 * values[i] = values[i] * FACTOR + addend for i < count: FACTOR a specialization constant (2: it doubles,
 * unless specialized), count and addend push constants. The input is written through a mapping that stays
 * mapped, flushed rounded out to nonCoherentAtomSize; after the dispatch a COMPUTE -> HOST barrier, a fence
 * wait (synchronous or with waitForFencesAsync), an invalidate of the same atoms, and every byte of the memory
 * is checked against the reference model: the results, the words past `count` that the shader must leave
 * alone, and the bytes around the buffer.
 */
import {
  VK_WHOLE_SIZE,
  VkAccessFlagBits,
  VkDescriptorType,
  VkPipelineBindPoint,
  VkPipelineStageFlagBits,
  VkShaderStageFlagBits,
  type CommandBuffer,
  type DescriptorPool,
  type DescriptorSet,
  type DescriptorSetLayout,
  type Device,
  type Pipeline,
  type PipelineLayout,
  type ShaderModule,
} from '@vkmap/core';
import { STORAGE_USAGE, type ComputePlan, type HostVisibleType } from '../device-target.js';
import { SKIP, type ScenarioSpec, type TargetContext } from '../scenario.js';
import type { ScenarioSession } from '../session.js';
import { scaleSpirv } from '../shaders.generated.js';
import { Submitter, toHostBarrier } from '../submitter.js';
import {
  checkHostBytes,
  flushRange,
  hostWrite,
  invalidateRange,
  mappedBufferMemory,
  release,
  wordsToBytes,
  type MappedBufferMemory,
} from './device-work.js';

const { VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT } = VkPipelineStageFlagBits;
const { VK_ACCESS_SHADER_READ_BIT, VK_ACCESS_SHADER_WRITE_BIT } = VkAccessFlagBits;
const COMPUTE_STAGE = VkShaderStageFlagBits.VK_SHADER_STAGE_COMPUTE_BIT;
const BIND_COMPUTE = VkPipelineBindPoint.VK_PIPELINE_BIND_POINT_COMPUTE;
const STORAGE_BUFFER = VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;

/** scale.comp's workgroup size (local_size_x). */
const WORKGROUP_SIZE = 64;
/** Words the shader computes: not a multiple of the workgroup size, so the last group has idle invocations. */
const COUNT = 1000;
/** Words past COUNT in the buffer, which the shader must leave as the host wrote them. */
const TAIL = 24;
/** The push constant block: count, addend (two u32). */
const PUSH_CONSTANT_SIZE = 8;

/** One dispatch's parameters. */
interface Pass {
  readonly factor: number;
  readonly addend: number;
}

/** The input words: distinct, and large enough that the arithmetic wraps around 2^32 for some of them. */
function inputWords(): number[] {
  return Array.from({ length: COUNT + TAIL }, (_, i) => (Math.imul(i, 0x9e37_79b9) + 12_345) >>> 0);
}

/** What the passes make of `value`, in 32-bit arithmetic. */
function applyPasses(value: number, passes: readonly Pass[]): number {
  return passes.reduce((v, pass) => (Math.imul(v, pass.factor) + pass.addend) >>> 0, value);
}

/** scale.comp's pipelines (one per FACTOR), their layout, and one descriptor set over a storage buffer. */
class ScalePipelines {
  private readonly device: Device;
  private readonly module: ShaderModule;
  private readonly setLayout: DescriptorSetLayout;
  readonly layout: PipelineLayout;
  private readonly pool: DescriptorPool;
  readonly set: DescriptorSet;
  private readonly pipelines = new Map<number, Pipeline>();

  constructor(device: Device, target: MappedBufferMemory) {
    this.device = device;
    this.module = device.createShaderModule({ code: scaleSpirv() });
    this.setLayout = device.createDescriptorSetLayout({
      bindings: [{ binding: 0, descriptorType: STORAGE_BUFFER, descriptorCount: 1, stageFlags: COMPUTE_STAGE }],
    });
    this.layout = device.createPipelineLayout({
      setLayouts: [this.setLayout],
      pushConstantRanges: [{ stageFlags: COMPUTE_STAGE, offset: 0, size: PUSH_CONSTANT_SIZE }],
    });
    this.pool = device.createDescriptorPool({
      maxSets: 1,
      poolSizes: [{ type: STORAGE_BUFFER, descriptorCount: 1 }],
    });
    [this.set] = device.allocateDescriptorSets({ descriptorPool: this.pool, setLayouts: [this.setLayout] }) as [
      DescriptorSet,
    ];
    device.updateDescriptorSets([
      {
        dstSet: this.set,
        dstBinding: 0,
        descriptorType: STORAGE_BUFFER,
        bufferInfo: [{ buffer: target.buffer, offset: 0, range: VK_WHOLE_SIZE }],
      },
    ]);
  }

  /** The pipeline with FACTOR specialized to `factor` (2 is the shader's default: no specialization). */
  pipeline(factor: number): Pipeline {
    let pipeline = this.pipelines.get(factor);
    if (!pipeline) {
      const specializationInfo =
        factor === 2
          ? undefined
          : { mapEntries: [{ constantID: 0, offset: 0, size: 4 }], data: wordsToBytes([factor]) };
      [pipeline] = this.device.createComputePipelines([
        {
          stage: { stage: COMPUTE_STAGE, module: this.module, name: 'main', specializationInfo },
          layout: this.layout,
        },
      ]) as [Pipeline];
      this.pipelines.set(factor, pipeline);
    }
    return pipeline;
  }

  /** Records the passes, a COMPUTE -> COMPUTE barrier between consecutive ones, and none after the last. */
  record(commandBuffer: CommandBuffer, passes: readonly Pass[]): void {
    const { device } = this;
    passes.forEach((pass, i) => {
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
      device.cmdBindPipeline(commandBuffer, BIND_COMPUTE, this.pipeline(pass.factor));
      if (i === 0) device.cmdBindDescriptorSets(commandBuffer, BIND_COMPUTE, this.layout, 0, [this.set]);
      device.cmdPushConstants(commandBuffer, this.layout, COMPUTE_STAGE, 0, wordsToBytes([COUNT, pass.addend]));
      device.cmdDispatch(commandBuffer, Math.ceil(COUNT / WORKGROUP_SIZE), 1, 1);
    });
  }

  destroy(): void {
    const { device } = this;
    for (const pipeline of this.pipelines.values()) device.destroyPipeline(pipeline);
    device.destroyDescriptorPool(this.pool);
    device.destroyPipelineLayout(this.layout);
    device.destroyDescriptorSetLayout(this.setLayout);
    device.destroyShaderModule(this.module);
  }
}

/**
 * The storage buffer in memory of `type`, bound at its alignment (so not at the start of the memory), the
 * input written through the mapping and flushed; the passes dispatched, waited for (`wait`), invalidated and
 * checked; then everything destroyed.
 */
function dispatchAndCheck(
  session: ScenarioSession,
  type: HostVisibleType,
  plan: ComputePlan,
  passes: readonly Pass[],
  wait: 'sync' | 'async',
): void | Promise<void> {
  const { device } = session;
  const input = inputWords();
  const target = mappedBufferMemory(session, type, {
    size: input.length * 4,
    usage: STORAGE_USAGE,
    bindOffset: (alignment) => alignment,
  });
  const { bindOffset, buffer, model } = target;
  const size = Number(buffer.size);
  hostWrite(target, bindOffset, wordsToBytes(input));
  flushRange(session, target, bindOffset, size);
  const pipelines = new ScalePipelines(device, target);
  const submitter = new Submitter(device, plan.queueFamilyIndex);
  const record = (commandBuffer: CommandBuffer) => {
    pipelines.record(commandBuffer, passes);
    device.cmdPipelineBarrier(
      commandBuffer,
      toHostBarrier(VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT, [buffer]),
    );
  };
  const check = () => {
    const results = input.map((value, i) => (i < COUNT ? applyPasses(value, passes) : value));
    model.deviceWrite(bindOffset, wordsToBytes(results.slice(0, COUNT)));
    invalidateRange(session, target, bindOffset, size);
    checkHostBytes(
      session,
      target,
      `after ${passes.map((p) => `values * ${p.factor} + ${p.addend}`).join(', then ')} over ${COUNT} words`,
    );
    pipelines.destroy();
    release(session, target);
  };
  if (wait === 'async') return submitter.runAsync(record).then(check);
  submitter.run(record);
  check();
}

const PATH = 'compute dispatches over mapped memory (shaders/scale.comp)';

export function computeScenarios(ctx: TargetContext): ScenarioSpec[] {
  const { target } = ctx;
  const plan = target.capabilities.compute;
  const deviceSkip =
    target.hostVisibleTypes.length === 0
      ? SKIP.noHostVisibleType
      : !plan
        ? SKIP.noComputeQueue
        : !target.capabilities.canDispatch
          ? SKIP.noDispatch
          : undefined;
  if (deviceSkip !== undefined || !plan) {
    return [{ group: 'compute', path: [PATH], title: 'every memory type', skipReason: deviceSkip, body: () => {} }];
  }
  return target.hostVisibleTypes.flatMap((type): ScenarioSpec[] => {
    const skipReason = (plan.memoryTypeBits >>> type.index) & 1 ? undefined : SKIP.notForStorage;
    const spec = (title: string, passes: readonly Pass[], wait: 'sync' | 'async'): ScenarioSpec => ({
      group: 'compute',
      path: [PATH, type.label],
      title,
      skipReason,
      body: (session) => dispatchAndCheck(session, type, plan, passes, wait),
    });
    return [
      spec(
        'doubles words written through a persistent mapping (push constants, FACTOR 2); flush, dispatch, COMPUTE -> HOST barrier, waitForFences, invalidate, read',
        [{ factor: 2, addend: 7 }],
        'sync',
      ),
      spec(
        'the same with FACTOR specialized to 3, waited for with waitForFencesAsync',
        [{ factor: 3, addend: 11 }],
        'async',
      ),
      spec(
        'two dispatches in one command buffer with a COMPUTE -> COMPUTE barrier between them (FACTOR 2, then 3)',
        [
          { factor: 2, addend: 5 },
          { factor: 3, addend: 0x8000_0001 },
        ],
        'sync',
      ),
    ];
  });
}
