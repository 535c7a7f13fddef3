#!/usr/bin/env node
// Standalone: node apps/bench/src/allocator/run.mjs --vma-header /tmp/vma/vk_mem_alloc.h
//   [--live 1000,10000,100000] [--repeats 5] [--apis handle,block,core] [--cxx g++]
//   [--vulkan-include DIR] [--json]
//   [--allocator path/to/index.js]  measure that build of @vkmap/allocator instead of packages/allocator/dist
//   [--baseline path/to/index.js]   also measure another build (an older commit's dist) in the same rounds
// Re-runs itself with --expose-gc and, where taskset exists, pinned to CPU 1 (BENCH_PIN=0: unpinned;
// BENCH_CPU=n: another CPU): on a shared 2-core machine an unpinned run varies by 20 %.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runAllocatorBench } from './index.mjs';

if (process.env.VKMAP_ALLOCATOR_BENCH_CHILD !== '1') {
  const node = [process.execPath, '--expose-gc', ...process.execArgv, ...process.argv.slice(1)];
  const env = { ...process.env, VKMAP_ALLOCATOR_BENCH_CHILD: '1' };
  let child;
  if (process.env.BENCH_PIN !== '0') {
    child = spawnSync('taskset', ['-c', process.env.BENCH_CPU ?? '1', ...node], { stdio: 'inherit', env });
  }
  // Without taskset (ENOENT), or unpinned: the same process under --expose-gc.
  if (child === undefined || child.error) child = spawnSync(node[0], node.slice(1), { stdio: 'inherit', env });
  process.exit(child.status ?? 1);
}

const { values } = parseArgs({
  options: {
    'vma-header': { type: 'string' },
    live: { type: 'string' },
    repeats: { type: 'string' },
    apis: { type: 'string' },
    cxx: { type: 'string' },
    baseline: { type: 'string' },
    allocator: { type: 'string' },
    'vulkan-include': { type: 'string' },
    json: { type: 'boolean' },
  },
});
if (!values['vma-header']) {
  console.error('usage: node apps/bench/src/allocator/run.mjs --vma-header path/to/vk_mem_alloc.h [--live 1000,10000]');
  process.exit(2);
}
const result = await runAllocatorBench({
  vmaHeader: values['vma-header'],
  ...(values.live && { live: values.live.split(',').map(Number) }),
  ...(values.repeats && { repeats: Number(values.repeats) }),
  ...(values.apis && { apis: values.apis.split(',') }),
  ...(values.cxx && { cxx: values.cxx }),
  ...(values.baseline && { baseline: values.baseline }),
  ...(values.allocator && { allocator: await import(pathToFileURL(resolve(values.allocator)).href) }),
  ...(values['vulkan-include'] && { vulkanInclude: values['vulkan-include'] }),
  log: values.json ? () => {} : (line) => console.error(line),
});
console.log(values.json ? JSON.stringify(result.rows, null, 2) : result.table);
