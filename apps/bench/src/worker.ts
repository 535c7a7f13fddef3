#!/usr/bin/env node
/**
 * A vkmap side's process: opens the native device once and answers the runner's requests (protocol.ts), one
 * JSON line each.
 *
 *   node dist/worker.js --device <index> [--validation] [--views stable|detach]
 */
import { createInterface } from 'node:readline';
import { allocatorAllocateFree } from './cases/allocator.js';
import { computeRoundTrip } from './cases/compute.js';
import { openDevice, type OpenDevice, type ViewLifetime } from './cases/device.js';
import { allocateFree, mapUnmap, mapUnmap2, writeMapped, type WriteKind } from './cases/mapping.js';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

function answer(value: object): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function handle(open: OpenDevice, words: string[]): object {
  const [command, ...rest] = words;
  const n = rest.map(Number);
  const { device, physicalDevice } = open;
  switch (command) {
    case 'info':
      return open.info;
    case 'map':
      return { nsPerOp: mapUnmap(device, n[0]!, n[1]!, n[2]!) };
    case 'map2':
      return { nsPerOp: mapUnmap2(device, n[0]!, n[1]!, n[2]!) };
    case 'alloc':
      return { nsPerOp: allocateFree(device, n[0]!, n[1]!, n[2]!) };
    case 'write':
      return { nsPerOp: writeMapped(device, n[0]!, n[1]!, n[2]!, rest[3] as WriteKind) };
    case 'allocator':
      return { nsPerOp: allocatorAllocateFree(device, n[0]!, n[1]!, n[2]!) };
    case 'compute':
      return { nsPerOp: computeRoundTrip(physicalDevice, device, n[0]!, n[1]!) };
    default:
      return { error: `unknown request "${words.join(' ')}"` };
  }
}

const views = option('--views') as ViewLifetime | undefined;
let open: OpenDevice;
try {
  open = openDevice({
    deviceIndex: Number(option('--device') ?? 0),
    validation: process.argv.includes('--validation'),
    ...(views && { views }),
  });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}

for await (const line of createInterface({ input: process.stdin })) {
  const words = line.trim().split(/\s+/);
  if (words[0] === 'quit') break;
  try {
    answer(handle(open, words));
  } catch (error) {
    answer({ error: error instanceof Error ? error.message : String(error) });
  }
}
open.close();
