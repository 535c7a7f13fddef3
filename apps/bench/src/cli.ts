/**
 * The bench: starts one process per side (vkmap, vkmap with validation, the C baseline; WebGPU in a fresh
 * process per batch), runs every benchmark in interleaved rounds, then the slowdown check and the allocator
 * replay, and reports a table, JSON and an SVG chart of the ratios.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runAllocatorReplay } from './allocator-replay.js';
import { plan, type Side } from './benchmarks.js';
import { LineProcess } from './line-process.js';
import { SIZES } from './modes.js';
import { parseOptions, USAGE, UsageError, type Options } from './options.js';
import { buildBaseline, startBaseline } from './peers/c.js';
import { webgpuBatch } from './peers/webgpu.js';
import { pinningActive } from './pin.js';
import { Progress, type Sink } from './progress.js';
import { HOST_VISIBLE, type DeviceInfo } from './protocol.js';
import { renderTable } from './report/table.js';
import { renderSvg } from './report/svg.js';
import type { BenchmarkResult, Report } from './results.js';
import { runBenchmark } from './runner.js';
import { runSlowdown } from './slowdown.js';

const worker = fileURLToPath(new URL('./worker.js', import.meta.url));

export interface Io {
  readonly stdout: Sink;
  readonly stderr: Sink;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Starts a side process and asks for its device; a side that cannot start keeps the reason. */
async function startSide(start: () => LineProcess): Promise<Side & { info?: DeviceInfo }> {
  let process: LineProcess | undefined;
  try {
    process = start();
    const info = await process.request<DeviceInfo & { error?: string }>('info');
    if (info.error) throw new Error(info.error);
    return { process, info };
  } catch (error) {
    await process?.close().catch(() => {});
    return { unavailable: message(error) };
  }
}

async function measure(options: Options, progress: Progress): Promise<{ report: Report; failed: boolean }> {
  const sizes = SIZES[options.mode];
  const node = process.execPath;
  const device = ['--device', String(options.deviceIndex)];

  progress.note(`vkmap bench (${options.mode}): starting the sides`);
  const vkmap = await startSide(() => new LineProcess('vkmap worker', node, [worker, ...device]));
  const validated = await startSide(
    () => new LineProcess('vkmap worker (validation)', node, [worker, ...device, '--validation']),
  );
  const info = vkmap.info;
  progress.note(
    info ? `vkmap: ${info.device} (Vulkan ${info.apiVersion})` : `vkmap: unavailable: ${vkmap.unavailable}`,
  );

  progress.note('C peer: building c/baseline.c (cc -O2)');
  const built = buildBaseline();
  const c: Side & { info?: DeviceInfo } =
    'unavailable' in built
      ? { unavailable: built.unavailable }
      : await startSide(() => startBaseline(built, options.deviceIndex));
  if (c.info && info && c.info.device !== info.device)
    progress.note(`C peer: warning: device ${c.info.device} is not vkmap's ${info.device}`);
  progress.note(c.unavailable ? `C peer: unavailable: ${c.unavailable}` : `C peer: ${c.info?.device}`);

  // The memory types: vkmap's view of the device, else the C baseline's (the same loader and driver).
  const known = info ?? c.info;
  const hostVisible = (known?.memoryTypes ?? []).filter((t) => t.propertyFlags & HOST_VISIBLE);
  if (options.type !== undefined && known && !hostVisible.some((t) => t.index === options.type)) {
    await Promise.all([vkmap, validated, c].map((side) => side.process?.close()));
    throw new UsageError(`--type ${options.type} is not a HOST_VISIBLE memory type of ${known.device}`);
  }
  const type = options.type ?? hostVisible[0]?.index ?? 0;
  const writeTypes = options.type === undefined ? hostVisible : hostVisible.filter((t) => t.index === options.type);
  progress.note(
    `memory type ${type} for map and allocate; writes into type(s) ${writeTypes.map((t) => t.index).join(', ') || 'none'}`,
  );

  progress.note('webgpu peer: probing (the webgpu package, Dawn) in a child process');
  const probe = await webgpuBatch(64 * 1024, 5);
  const webgpu = probe.error !== undefined ? { unavailable: probe.error } : {};
  progress.note(
    probe.error !== undefined ? `webgpu peer: unavailable: ${probe.error}` : `webgpu peer: adapter ${probe.adapter}`,
  );

  const sides = { vkmap, validated, c, webgpu };
  const benchmarks: BenchmarkResult[] = [];
  const list = plan(sides, { sizes, type, writeTypes });
  try {
    for (const [i, benchmark] of list.entries()) {
      progress.note(
        `[${i + 1}/${list.length + 1}] ${benchmark.title}: ${benchmark.rows.map((r) => r.side).join(' vs ')}`,
      );
      benchmarks.push(await runBenchmark(benchmark, options.rounds, progress));
    }
  } finally {
    await Promise.all([vkmap, validated, c].map((side) => side.process?.close()));
  }
  progress.note(`[${list.length + 1}/${list.length + 1}] process-wide slowdown check (fresh processes)`);
  const slowdown = await runSlowdown(sizes, options.deviceIndex, type, vkmap.unavailable, progress);
  progress.note('allocator replay (src/allocator)');
  const allocatorReplay = await runAllocatorReplay(options.vmaHeader, options.mode);
  progress.done();

  const report: Report = {
    schema: 'vkmap-bench/1',
    date: new Date().toISOString(),
    mode: options.mode,
    command: `vkmap-bench ${process.argv.slice(2).join(' ')}`.trim(),
    machine: {
      node: process.version,
      platform: `${process.platform}/${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      pinned: pinningActive(),
    },
    device: {
      index: options.deviceIndex,
      name: known?.device ?? null,
      apiVersion: known?.apiVersion ?? null,
      memoryType: known ? type : null,
      ...(vkmap.unavailable !== undefined && { unavailable: vkmap.unavailable }),
    },
    rounds: options.rounds,
    peers: {
      c:
        c.unavailable !== undefined
          ? { available: false, reason: c.unavailable }
          : { available: true, compiler: 'compiler' in built ? built.compiler : '' },
      webgpu:
        probe.error !== undefined
          ? { available: false, reason: probe.error }
          : { available: true, adapter: probe.adapter ?? '' },
    },
    benchmarks,
    slowdown,
    allocatorReplay,
  };
  // A vkmap row that failed where the native backend loads is a bug of the bench or of vkmap: exit 1.
  const failed =
    vkmap.unavailable === undefined &&
    (benchmarks.some((b) => b.rows.some((r) => r.side.startsWith('vkmap') && r.unavailable !== undefined)) ||
      slowdown.modes.some((m) => m.unavailable !== undefined));
  return { report, failed };
}

export async function main(args: readonly string[], io: Io): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(args);
  } catch (error) {
    io.stderr.write(`vkmap-bench: ${message(error)}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const progress = new Progress(io.stderr);
  let result: Awaited<ReturnType<typeof measure>>;
  try {
    result = await measure(options, progress);
  } catch (error) {
    progress.done();
    io.stderr.write(`vkmap-bench: ${message(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
  const { report, failed } = result;
  const table = renderTable(report);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (options.json === '-') {
    io.stderr.write(table);
    io.stdout.write(json);
  } else {
    io.stdout.write(table);
    if (options.json !== undefined) {
      writeFileSync(options.json, json);
      io.stdout.write(`JSON: ${options.json}\n`);
    }
  }
  if (options.svg !== undefined) {
    writeFileSync(options.svg, renderSvg(report));
    (options.json === '-' ? io.stderr : io.stdout).write(`SVG: ${options.svg}\n`);
  }
  if (failed) io.stderr.write('vkmap-bench: a vkmap benchmark failed (its reason is in the table)\n');
  return failed ? 1 : 0;
}
