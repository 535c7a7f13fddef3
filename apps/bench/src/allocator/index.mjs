// vkmap's TLSF virtual block side by side with VMA's VmaVirtualBlock (C++), on one allocate/free stream.
//
// The stream and vkmap's replay of it are @vkmap/allocator's own (bench/stream.mjs); VMA replays the same
// stream from a binary file in vma-replay.cpp, built here with `g++ -O2` against a vk_mem_alloc.h the
// caller supplies (VMA is in no package registry and its source never enters this repository). Rounds are
// interleaved: each repetition measures every live count on both sides, VMA first in even repetitions and
// last in odd ones, each repetition on a stream of its own seed. The table holds the median over the
// repetitions of each measurement's median round.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The last program built, kept (ignored by git) for a machine without a compiler. */
const cachedReplay = resolve(here, '../../.cache/vma-replay');

export const DEFAULT_LIVE = [1000, 10000, 100000];
export const DEFAULT_APIS = ['handle', 'block', 'core'];

/** @vkmap/allocator's directory: through the workspace dependency, else the sibling package in this repository. */
function allocatorDirectory() {
  try {
    return dirname(fileURLToPath(import.meta.resolve('@vkmap/allocator/package.json')));
  } catch {
    return resolve(here, '../../../../packages/allocator');
  }
}

async function loadAllocator(directory) {
  const index = join(directory, 'dist/index.js');
  if (!existsSync(index)) {
    throw new Error(`${index} is missing: build @vkmap/allocator first (pnpm --filter @vkmap/allocator build)`);
  }
  return import(pathToFileURL(index).href);
}

/**
 * Compiles vma-replay.cpp against `vmaHeader` into `workDir`; returns the program's path. Throws with the
 * compiler's output when it fails (most often: no Vulkan headers, `apt-get install libvulkan-dev` or pass
 * `vulkanInclude`).
 */
export function buildVmaReplay({ vmaHeader, workDir, cxx = 'g++', vulkanInclude }) {
  // Without a compiler or the header (the lent GPU machine), the program built earlier is used as it is.
  const compiler = spawnSync(cxx, ['--version'], { encoding: 'utf8' });
  if ((compiler.error || compiler.status !== 0 || !existsSync(vmaHeader)) && existsSync(cachedReplay)) {
    return { program: cachedReplay, command: `built earlier (no ${cxx} or no header here): ${cachedReplay}` };
  }
  if (!existsSync(vmaHeader)) throw new Error(`VMA header ${vmaHeader} does not exist`);
  // The replay includes "vk_mem_alloc.h": the header is copied under that name, whatever the caller's is called.
  copyFileSync(vmaHeader, join(workDir, 'vk_mem_alloc.h'));
  const output = join(workDir, 'vma-replay');
  const args = ['-O2', '-std=c++17', '-w', `-I${workDir}`];
  if (vulkanInclude) args.push(`-I${vulkanInclude}`);
  args.push(join(here, 'vma-replay.cpp'), '-o', output);
  const built = spawnSync(cxx, args, { encoding: 'utf8' });
  if (built.error) throw new Error(`${cxx} could not run: ${built.error.message}`);
  if (built.status !== 0) throw new Error(`${cxx} ${args.join(' ')} failed:\n${built.stderr}`);
  mkdirSync(dirname(cachedReplay), { recursive: true });
  copyFileSync(output, cachedReplay);
  return { program: output, command: `${cxx} ${args.join(' ')}` };
}

function runVma(program, streamFile) {
  const run = spawnSync(program, [streamFile], { encoding: 'utf8' });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`vma-replay failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const round1 = (value) => Math.round(value * 10) / 10;
const ratio = (a, b) => Math.round((a / b) * 100) / 100;

/**
 * Runs the side by side and returns its results (`rows`: one per live count and vkmap API, with VMA's
 * figures and the ratios vkmap / VMA) and the table as text.
 *
 * options.vmaHeader      path to VMA's vk_mem_alloc.h (required)
 * options.live           live allocation counts (default 1k, 10k, 100k)
 * options.repeats        interleaved repetitions (default 5)
 * options.apis           vkmap APIs: 'handle' (allocateHandle, as VmaVirtualAllocation), 'block'
 *                        (allocation objects), 'core' (the bare TlsfAlgorithm); default all three
 * options.baseline       path to another build's index.js (an older commit's dist), measured as the API
 *                        names prefixed with "base:" in the same rounds
 * options.cxx            C++ compiler (default g++), options.vulkanInclude: extra include directory
 * options.log            progress lines (default: none)
 *
 * Call it from a process started with --expose-gc (gc() before each timed phase) and, for stable figures on
 * a shared machine, pinned to one CPU (`taskset -c 1`): the VMA child processes inherit the pinning.
 */
export async function runAllocatorBench(options = {}) {
  const {
    vmaHeader,
    live = DEFAULT_LIVE,
    repeats = 5,
    apis = DEFAULT_APIS,
    cxx = 'g++',
    vulkanInclude,
    log = () => {},
  } = options;
  if (!vmaHeader) throw new Error('runAllocatorBench needs vmaHeader: the path to VMA 3.x include/vk_mem_alloc.h');
  const directory = allocatorDirectory();
  const allocator = options.allocator ?? (await loadAllocator(directory));
  const baseline = options.baseline ? await import(pathToFileURL(resolve(options.baseline)).href) : undefined;
  const { makeStream, encodeStream, replayStream, median, DEFAULT_SEED } = await import(
    pathToFileURL(join(directory, 'bench/stream.mjs')).href
  );
  const workDir = mkdtempSync(join(tmpdir(), 'vkmap-vma-bench-'));
  try {
    const build = buildVmaReplay({ vmaHeader: resolve(vmaHeader), workDir, cxx, vulkanInclude });
    log(`built: ${build.command}`);
    const runs = new Map(); // `${side}/${live}` -> results
    const record = (key, result) => {
      if (!runs.has(key)) runs.set(key, []);
      runs.get(key).push(result);
    };
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const count of live) {
        const stream = makeStream(count, DEFAULT_SEED + repeat);
        const file = join(workDir, `stream-${count}.bin`);
        writeFileSync(file, encodeStream(stream));
        const sides = ['vma', ...apis, ...(baseline ? apis.map((api) => `base:${api}`) : [])];
        if (repeat % 2 === 1) sides.reverse();
        for (const side of sides) {
          const result =
            side === 'vma'
              ? runVma(build.program, file)
              : side.startsWith('base:')
                ? replayStream(baseline, side.slice(5), stream)
                : replayStream(allocator, side, stream);
          record(`${side}/${count}`, result);
        }
        log(`repetition ${repeat + 1}/${repeats}, ${count} live: done`);
      }
    }
    const pick = (key, field) => median(runs.get(key).map((run) => run[field]));
    const rows = [];
    for (const count of live) {
      const vma = {
        allocateNs: pick(`vma/${count}`, 'steadyAllocateNs'),
        freeNs: pick(`vma/${count}`, 'steadyFreeNs'),
        fillAllocateNs: pick(`vma/${count}`, 'fillAllocateNs'),
        drainFreeNs: pick(`vma/${count}`, 'drainFreeNs'),
        fragmentation: pick(`vma/${count}`, 'fragmentation'),
      };
      for (const api of [...apis, ...(baseline ? apis.map((name) => `base:${name}`) : [])]) {
        const key = `${api}/${count}`;
        const vkmap = {
          allocateNs: pick(key, 'steadyAllocateNs'),
          freeNs: pick(key, 'steadyFreeNs'),
          fillAllocateNs: pick(key, 'fillAllocateNs'),
          drainFreeNs: pick(key, 'drainFreeNs'),
          fragmentation: pick(key, 'fragmentation'),
        };
        rows.push({
          live: count,
          api,
          vkmap,
          vma,
          allocateRatio: ratio(vkmap.allocateNs, vma.allocateNs),
          freeRatio: ratio(vkmap.freeNs, vma.freeNs),
        });
      }
    }
    return { rows, repeats, node: process.version, table: formatTable(rows, repeats) };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

export function formatTable(rows, repeats) {
  const cell = (value, width) => String(value).padStart(width);
  const lines = [
    `TLSF virtual block, vkmap vs VMA VmaVirtualBlock (g++ -O2), same stream: random sizes 16 B to 1 MiB, alignment 16,`,
    `block twice the live bytes; steady = median round of free K / allocate K (K = N/8, at most 2048); ns per operation,`,
    `median of ${repeats} interleaved repetitions (node ${process.version}); ratio = vkmap / VMA (below 1: vkmap faster)`,
    '',
    '  live  vkmap API  |  alloc  VMA alloc  ratio |   free  VMA free  ratio | fill 0->N vkmap/VMA | drain N->0 vkmap/VMA | fragm. vkmap/VMA',
  ];
  for (const r of rows) {
    lines.push(
      `${cell(r.live, 6)}  ${r.api.padEnd(10)} |` +
        `${cell(round1(r.vkmap.allocateNs), 7)} ${cell(round1(r.vma.allocateNs), 10)} ${cell(r.allocateRatio.toFixed(2), 6)} |` +
        `${cell(round1(r.vkmap.freeNs), 7)} ${cell(round1(r.vma.freeNs), 9)} ${cell(r.freeRatio.toFixed(2), 6)} |` +
        `${cell(`${round1(r.vkmap.fillAllocateNs)}/${round1(r.vma.fillAllocateNs)}`, 20)} |` +
        `${cell(`${round1(r.vkmap.drainFreeNs)}/${round1(r.vma.drainFreeNs)}`, 21)} |` +
        `${cell(`${r.vkmap.fragmentation.toFixed(3)}/${r.vma.fragmentation.toFixed(3)}`, 17)}`,
    );
  }
  return lines.join('\n');
}
