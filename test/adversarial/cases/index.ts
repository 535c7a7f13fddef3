/** Every case the runner can run, by name. */
import { isNativeAvailable } from '@vkmap/native';
import { allocatorStale } from './allocator.js';
import { fuzz } from './fuzz.js';
import { leakCycles, leakDevices } from './leak.js';
import { cyclicPNext } from './pnext.js';
import { flushRanges, releaseTwice } from './ranges.js';
import { reentrancy, reentrancyBatch } from './reentrancy.js';
import { threadPool } from './thread-pool.js';
import { transfer } from './transfers.js';
import { workerTerminate } from './worker.js';

// biome-ignore lint/suspicious/noExplicitAny: each case reads its own parameters
export const cases: Record<string, (params: any) => Promise<unknown>> = {
  'thread-pool': threadPool,
  'worker-terminate': workerTerminate,
  'cyclic-pnext': cyclicPNext,
  reentrancy,
  'reentrancy-batch': reentrancyBatch,
  'allocator-stale': allocatorStale,
  transfer,
  'flush-ranges': flushRanges,
  'release-twice': releaseTwice,
  fuzz,
  'leak-cycles': leakCycles,
  'leak-devices': leakDevices,
  // Whether the children can run the native backend (the same addon the other cases load).
  'native-available': async () => isNativeAvailable(),
};
