/**
 * What the app prints: the results in words (and the story of a stale-data switch: what went wrong, why, what
 * the validation layer said, and why a coherent device says nothing), or as JSON (--json).
 */
import type { DeviceDescription, Hazard } from './gpu.js';
import type { MandelbrotResult } from './mandelbrot.js';
import type { MemoryTypeReport } from './memory.js';
import type { PathResult, PrefixSumOptions, PrefixSumResult } from './prefix-sum.js';

/** Hazard messages can list many byte ranges; the output keeps their start. */
const MAX_MESSAGE = 600;

export function clip(message: string, max = MAX_MESSAGE): string {
  return message.length <= max ? message : `${message.slice(0, max)}… (${message.length - max} more characters)`;
}

const integer = (n: number) => n.toLocaleString('en-US');

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(1)} KiB`;
  return `${bytes} B`;
}

const ms = (value: number) => `${value.toFixed(1).padStart(8)} ms`;
const gbps = (value: number) => `${value.toFixed(2).padStart(7)} GB/s`;

export function describeDevice(device: DeviceDescription, validation: boolean): string {
  const where =
    device.backend === 'emulated'
      ? `the emulated GPU '${device.profile}' (${device.name}, no driver)`
      : `native device ${device.deviceIndex} (${device.name})`;
  return `${where}, Vulkan ${device.apiVersion}, validation ${validation ? 'on' : 'off'}`;
}

function describeType(type: MemoryTypeReport): string {
  return `type ${type.memoryTypeIndex} ${type.properties}`;
}

/** Why a path's result is what it is, when a stale-data switch was given or the result is wrong. */
export function diagnose(
  run: PathResult,
  options: Pick<PrefixSumOptions, 'skipFlush' | 'skipInvalidate' | 'noBarrier'>,
  device: DeviceDescription,
  validation: boolean,
): string[] {
  const lines: string[] = [];
  const { skipFlush, skipInvalidate, noBarrier } = options;
  if (skipFlush) {
    lines.push(
      run.upload.coherent
        ? `--skip-flush: the upload memory (${describeType(run.upload)}) is HOST_COHERENT, so the host's writes reach the GPU without a flush and the missing flush goes unnoticed here. On non-coherent memory (phone GPUs: try --profile qualcomm-adreno-turnip) the same code gives the GPU stale input; CI machines with only coherent memory never see this bug.`
        : `--skip-flush: the input was written to non-coherent memory (${describeType(run.upload)}) and never flushed (vkFlushMappedMemoryRanges; here allocator.flushAllocation), so it stayed in the host's cache and the GPU read the upload buffer's old bytes.`,
    );
  }
  if (skipInvalidate) {
    lines.push(
      run.readback.coherent
        ? `--skip-invalidate: the readback memory (${describeType(run.readback)}) is HOST_COHERENT, so the GPU's writes are visible to the host without an invalidate and the missing invalidate goes unnoticed here. On non-coherent memory (try --profile qualcomm-adreno-turnip) the same code reads stale results; CI machines with only coherent memory never see this bug.`
        : `--skip-invalidate: the results came back in non-coherent memory (${describeType(run.readback)}) and were read without an invalidate (vkInvalidateMappedMemoryRanges; here allocator.invalidateAllocation), so the host read what its cache held from before the GPU wrote.`,
    );
  }
  if (noBarrier) {
    const inOrder =
      device.backend === 'emulated'
        ? 'The emulated GPU runs commands one after another, so the passes still saw each other’s results here'
        : 'This driver ran the passes in order anyway';
    lines.push(
      `--no-barrier: no vkCmdPipelineBarrier, so nothing makes a pass wait for the one whose results it reads, and nothing makes the results available to the host (a barrier to VK_PIPELINE_STAGE_HOST_BIT / VK_ACCESS_HOST_READ_BIT).${run.verified ? ` ${inOrder}; a GPU that overlaps dispatches may not.` : ''}`,
    );
  }
  if (!run.verified && !skipFlush && !skipInvalidate && !noBarrier) {
    lines.push('the result is wrong although nothing was skipped: that is a bug of vkmap or of the driver');
  }
  if (validation) {
    for (const hazard of run.hazards) {
      lines.push(`validation layer, at ${hazard.command}: [${hazard.vuid}] ${clip(hazard.message)}`);
    }
    const mistake = skipFlush || skipInvalidate || noBarrier;
    if (mistake && run.hazards.length === 0) {
      const onlyCoherent =
        !noBarrier && (!skipFlush || run.upload.coherent) && (!skipInvalidate || run.readback.coherent);
      lines.push(
        onlyCoherent
          ? 'validation layer: nothing to report, since flush and invalidate are optional on HOST_COHERENT memory: the code is only wrong on devices this one does not show.'
          : 'validation layer: it did not see this mistake.',
      );
    }
  } else if (skipFlush || skipInvalidate || noBarrier) {
    lines.push('(validation is off: without --no-validate, the validation layer names the missing call)');
  }
  return lines;
}

export function formatPrefixSum(
  result: PrefixSumResult,
  options: PrefixSumOptions,
  device: DeviceDescription,
  validation: boolean,
): string[] {
  const lines = [
    `vkmap compute: prefix sum on ${describeDevice(device, validation)}`,
    `${integer(result.elements)} u32 values (${formatBytes(result.bytes)}), workgroups of ${result.workgroupSize}: ${result.dispatches} dispatches over ${result.levels} level${result.levels === 1 ? '' : 's'}; CPU reference ${result.cpuScanMs.toFixed(1)} ms`,
  ];
  for (const run of result.runs) {
    const coherence = (type: MemoryTypeReport, call: string) => (type.coherent ? 'coherent' : `non-coherent: ${call}`);
    lines.push(
      '',
      `${run.path}: upload ${describeType(run.upload)} (${coherence(run.upload, options.skipFlush ? 'NOT flushed' : 'flushed')})`,
    );
    if (run.deviceLocal) lines.push(`  work in ${describeType(run.deviceLocal)}, copied in and out on the GPU`);
    lines.push(
      `  readback ${describeType(run.readback)} (${coherence(run.readback, options.skipInvalidate ? 'NOT invalidated' : 'invalidated')})`,
      `  upload   ${ms(run.timings.uploadMs)} ${gbps(run.throughput.uploadGBps)}   host writes through the persistent mapping${options.skipFlush || run.upload.coherent ? '' : ', flush'}`,
      `  dispatch ${ms(run.timings.dispatchMs)} ${gbps(run.throughput.dispatchGBps)}   submit to fence${run.deviceLocal ? ', copies included' : ''}${device.backend === 'emulated' ? ' (the emulated GPU runs the SPIR-V in JavaScript)' : ''}`,
      `  readback ${ms(run.timings.readbackMs)} ${gbps(run.throughput.readbackGBps)}   ${options.skipInvalidate || run.readback.coherent ? '' : 'invalidate, '}host reads through the persistent mapping`,
    );
    if (run.mismatch) {
      const m = run.mismatch;
      lines.push(
        `  WRONG: ${integer(m.wrongElements)} of ${integer(result.elements)} prefix sums differ from the CPU's; the first at [${m.index}]: expected ${m.expected}, got ${m.actual}`,
      );
    } else {
      lines.push(`  verified: all ${integer(result.elements)} prefix sums match the CPU's`);
    }
    for (const line of diagnose(run, options, device, validation)) lines.push(`  ${line}`);
  }
  for (const skipped of result.skippedPaths) lines.push('', `${skipped.path}: not run: ${skipped.reason}`);
  return lines;
}

export function formatMandelbrot(result: MandelbrotResult, device: DeviceDescription, validation: boolean): string[] {
  const lines = [
    `vkmap compute: mandelbrot on ${describeDevice(device, validation)}`,
    `${result.width}x${result.height} pixels, up to ${result.maxIterations} iterations each; view in ${describeType(result.view)}, iteration counts in ${describeType(result.storage)}`,
    `  dispatch ${ms(result.timings.dispatchMs)}   submit to fence`,
    `  readback ${ms(result.timings.readbackMs)}   ${result.storage.coherent ? '' : 'invalidate, '}host reads through the persistent mapping`,
    `  encode   ${ms(result.timings.encodeMs)}   colours and PNG (fast-png)`,
    `  ${result.output}: ${formatBytes(result.pngBytes)}, ${integer(result.insidePixels)} pixels inside the set`,
    `  iteration counts sha256 ${result.iterationsSha256.slice(0, 16)}…: the same on every device (precise float32)`,
    result.verified
      ? `  verified: ${result.sampled} sampled pixels match the CPU's float32 arithmetic`
      : `  WRONG: ${result.sampleMismatches} of ${result.sampled} sampled pixels differ from the CPU's float32 arithmetic`,
  ];
  for (const hazard of result.hazards) {
    lines.push(`  validation layer, at ${hazard.command}: [${hazard.vuid}] ${clip(hazard.message)}`);
  }
  return lines;
}

/** The JSON of a prefix-sum run (the SVG picture is left out: --stats writes it). */
export function prefixSumJson(
  result: PrefixSumResult,
  options: PrefixSumOptions,
  device: DeviceDescription,
  validation: boolean,
  ok: boolean,
): object {
  const { statsSvg: _svg, runs, ...rest } = result;
  return {
    command: 'prefix-sum',
    ok,
    device,
    validation,
    skipped: { flush: options.skipFlush, invalidate: options.skipInvalidate, barrier: options.noBarrier },
    ...rest,
    runs: runs.map((run) => ({
      ...run,
      hazards: run.hazards.map((hazard) => ({ ...hazard, message: clip(hazard.message) })),
      diagnosis: diagnose(run, options, device, validation),
    })),
  };
}

export function mandelbrotJson(
  result: MandelbrotResult,
  device: DeviceDescription,
  validation: boolean,
  ok: boolean,
): object {
  const { statsSvg: _svg, hazards, ...rest } = result;
  return {
    command: 'mandelbrot',
    ok,
    device,
    validation,
    ...rest,
    hazards: hazards.map((hazard: Hazard) => ({ ...hazard, message: clip(hazard.message) })),
  };
}
