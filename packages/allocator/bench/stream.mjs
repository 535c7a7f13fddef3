// The allocate/free stream of the virtual-block benchmark, and its replay on vkmap's virtual block.
// One definition for everything that measures it: bench/virtual-block.bench.mjs (vkmap alone) and the
// side-by-side runner in apps/bench/src/allocator/ (vkmap and VMA's VmaVirtualBlock, which replays the same
// stream from the binary file `encodeStream` writes).
//
// A stream, for N live allocations of random sizes (16 B to 1 MiB, alignment 16) from one seed:
//   warm-up  a block of its own: 40 rounds of allocate W = min(N, 4096), free all W in random order
//   fill     from empty, allocate N (timed), then free all N in random order (timed): the mean per op
//   steady   allocate N again, then rounds of: free K random live allocations (timed), allocate K new ones
//            into the freed slots (timed), K = N/8 capped at 2048; the median round
// Slot indices name allocations: "free victims[i]" frees the allocation in slot victims[i], and the
// allocation after it goes into the same slot.

export const MiB = 1024 * 1024;
export const MIN_SIZE = 16;
export const MAX_SIZE = MiB;
export const ALIGNMENT = 16;
export const OPS_PER_MEASUREMENT = 1 << 17;
export const WARM_ROUNDS = 40;
export const DEFAULT_SEED = 0x9e3779b9;

/** xorshift32, so every run (and the C++ replay) sees the same sizes and victims. */
export function random(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function randomSizes(count, next) {
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = MIN_SIZE + Math.floor(next() * (MAX_SIZE - MIN_SIZE + 1));
  return out;
}

/** Distinct random indices below `live`: a partial Fisher-Yates. */
function randomVictims(live, count, next) {
  const order = new Uint32Array(live);
  for (let i = 0; i < live; i++) order[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(next() * (live - i));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order.slice(0, count);
}

/** The whole stream of one measurement: every size and victim, drawn in the order the replay uses them. */
export function makeStream(live, seed = DEFAULT_SEED) {
  const next = random(seed ^ live);
  const warmLive = Math.min(live, 4096);
  const warm = [];
  for (let round = 0; round < WARM_ROUNDS; round++) {
    warm.push({ sizes: randomSizes(warmLive, next), victims: randomVictims(warmLive, warmLive, next) });
  }
  const initial = randomSizes(live, next);
  const drain = randomVictims(live, live, next);
  const refill = randomSizes(live, next);
  const batch = Math.max(1, Math.min(live >> 3, 2048));
  const roundCount = Math.max(8, Math.floor(OPS_PER_MEASUREMENT / batch));
  const rounds = [];
  for (let round = 0; round < roundCount; round++) {
    const victims = randomVictims(live, batch, next);
    rounds.push({ victims, sizes: randomSizes(batch, next) });
  }
  return {
    live,
    seed,
    alignment: ALIGNMENT,
    // Twice the expected bytes of the live set: the block is about half full in steady state.
    blockSize: Math.ceil(live * ((MIN_SIZE + MAX_SIZE) / 2) * 2),
    warmLive,
    warmBlockSize: Math.ceil(warmLive * MAX_SIZE * 2),
    warm,
    initial,
    drain,
    refill,
    batch,
    rounds,
  };
}

/**
 * The stream as the C++ replay reads it, little-endian: "VKMS", u32 version 1, u32 live, warmLive,
 * warmRounds, batch, rounds, alignment, f64 blockSize, warmBlockSize; then u32 arrays in replay order:
 * per warm round sizes[warmLive] victims[warmLive]; initial[live]; drain[live]; refill[live]; per round
 * victims[batch] sizes[batch].
 */
export function encodeStream(stream) {
  const words = stream.warm.length * 2 * stream.warmLive + 3 * stream.live + stream.rounds.length * 2 * stream.batch;
  const headerBytes = 4 * 8 + 8 * 2;
  const buffer = new ArrayBuffer(headerBytes + 4 * words);
  const view = new DataView(buffer);
  const header = [
    0x534d4b56,
    1,
    stream.live,
    stream.warmLive,
    stream.warm.length,
    stream.batch,
    stream.rounds.length,
    stream.alignment,
  ];
  header.forEach((value, i) => view.setUint32(4 * i, value, true));
  view.setFloat64(32, stream.blockSize, true);
  view.setFloat64(40, stream.warmBlockSize, true);
  const body = new Uint32Array(buffer, headerBytes);
  let at = 0;
  const put = (array) => {
    body.set(array, at);
    at += array.length;
  };
  for (const { sizes, victims } of stream.warm) {
    put(sizes);
    put(victims);
  }
  put(stream.initial);
  put(stream.drain);
  put(stream.refill);
  for (const { victims, sizes } of stream.rounds) {
    put(victims);
    put(sizes);
  }
  return new Uint8Array(buffer);
}

/**
 * The timed loops, as source: each measurement compiles its own copy, so its call sites only ever see one
 * API (fresh JIT feedback). "block": allocation objects, "handle": number handles as VMA's
 * VmaVirtualAllocation, "core": the bare TlsfAlgorithm. Every allocation also reads its offset, as
 * vmaVirtualAllocate returns it.
 */
function kernelSource(api) {
  const allocate = {
    block:
      'const a = block.allocate({ size: sizes[i], alignment: ALIGNMENT }); slots[indices[i]] = a; sum += a.offset;',
    handle: 'const h = block.allocateHandle(sizes[i], ALIGNMENT); slots[indices[i]] = h; sum += block.offsetOf(h);',
    core: 'const h = block.allocate(sizes[i], ALIGNMENT, false); if (h < 0) fail(); slots[indices[i]] = h; sum += block.offsetOf(h);',
  }[api];
  return `
    const ALIGNMENT = ${ALIGNMENT};
    const fail = () => { throw new Error('out of space'); };
    const now = () => process.hrtime.bigint();
    let checksum = 0;
    return {
      allocateInto(block, slots, indices, sizes, count) {
        let sum = 0;
        const start = now();
        for (let i = 0; i < count; i++) { ${allocate} }
        const ns = Number(now() - start);
        checksum += sum;
        return ns;
      },
      freeFrom(block, slots, indices, count) {
        const start = now();
        for (let i = 0; i < count; i++) block.free(slots[indices[i]]);
        return Number(now() - start);
      },
      get checksum() { return checksum; },
    };`;
}

function makeBlock(module, api, size) {
  return api === 'core' ? new module.TlsfAlgorithm(size) : module.createVirtualBlock({ size });
}

function fragmentationOf(block, api) {
  if (api !== 'core') {
    const stats = block.calculateStatistics();
    return { fragmentation: block.fragmentation(), freeRanges: stats.unusedRangeCount };
  }
  const free = block.freeBytes;
  return { fragmentation: free === 0 ? 0 : 1 - block.largestFreeRange() / free, freeRanges: block.freeRangeCount };
}

/**
 * Replays `stream` on vkmap (`module`: the package's index) through `api`; ns per operation. GC work caused
 * by the API itself (allocation objects) falls inside the timed rounds, as it does for users; gc() (with
 * --expose-gc) runs before each timed phase.
 */
export function replayStream(module, api, stream) {
  const kernel = new Function('process', kernelSource(api))(process);
  const { live, warmLive } = stream;
  const identity = Uint32Array.from({ length: live }, (_, i) => i);
  const empty = api === 'block' ? null : 0;
  {
    const block = makeBlock(module, api, stream.warmBlockSize);
    const slots = new Array(warmLive).fill(empty);
    for (const { sizes, victims } of stream.warm) {
      kernel.allocateInto(block, slots, identity, sizes, warmLive);
      kernel.freeFrom(block, slots, victims, warmLive);
    }
  }
  const block = makeBlock(module, api, stream.blockSize);
  const slots = new Array(live).fill(empty);
  globalThis.gc?.();
  const fillNs = kernel.allocateInto(block, slots, identity, stream.initial, live) / live;
  const drainNs = kernel.freeFrom(block, slots, stream.drain, live) / live;
  kernel.allocateInto(block, slots, identity, stream.refill, live);
  const batch = stream.batch;
  const rounds = stream.rounds.length;
  const allocNs = new Float64Array(rounds);
  const freeNs = new Float64Array(rounds);
  globalThis.gc?.();
  for (let round = 0; round < rounds; round++) {
    const { victims, sizes } = stream.rounds[round];
    freeNs[round] = kernel.freeFrom(block, slots, victims, batch) / batch;
    allocNs[round] = kernel.allocateInto(block, slots, victims, sizes, batch) / batch;
  }
  const { fragmentation, freeRanges } = fragmentationOf(block, api);
  return {
    steadyAllocateNs: median(allocNs),
    steadyFreeNs: median(freeNs),
    fillAllocateNs: fillNs,
    drainFreeNs: drainNs,
    fragmentation,
    freeRanges,
    fill: block.getStatistics
      ? Number(block.getStatistics().allocationBytes) / stream.blockSize
      : block.allocatedBytes / stream.blockSize,
  };
}
