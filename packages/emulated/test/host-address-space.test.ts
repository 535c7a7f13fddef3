import { describe, it, expect } from 'vitest';
import { HostAddressSpace, type AddressRun } from '../src/host-address-space.js';

const BASE = 0x7f00_0000_0000n;
const PAGE = 4096n;

const space = (pages: bigint, base = BASE): HostAddressSpace =>
  new HostAddressSpace({ base, size: pages * PAGE, pageSize: PAGE });

// Owners carry an id so that toEqual and toMatchObject tell them apart as identity does.
let nextOwnerId = 0;
const owner = (): object => ({ id: nextOwnerId++ });

function checkInvariants(s: HostAddressSpace): void {
  const runs = s.runs();
  expect(runs.length).toBeGreaterThan(0);
  expect(runs[0]?.start).toBe(s.base);
  expect(runs[runs.length - 1]?.end).toBe(s.base + s.size);
  const totals = { free: 0n, reserved: 0n, mapped: 0n };
  let largestFree = 0n;
  runs.forEach((r, i) => {
    expect(r.end).toBeGreaterThan(r.start);
    expect(r.start % s.pageSize).toBe(0n);
    expect(r.end % s.pageSize).toBe(0n);
    expect(r.owner === undefined).toBe(r.state === 'free');
    const prev = runs[i - 1];
    if (prev !== undefined) {
      expect(r.start).toBe(prev.end);
      expect(prev.state === 'free' && r.state === 'free').toBe(false);
    }
    totals[r.state] += r.end - r.start;
    if (r.state === 'free' && r.end - r.start > largestFree) largestFree = r.end - r.start;
  });
  const stats = s.stats();
  expect(stats).toEqual({
    freeBytes: totals.free,
    reservedBytes: totals.reserved,
    mappedBytes: totals.mapped,
    largestFreeRun: largestFree,
    runCount: runs.length,
  });
  expect(stats.freeBytes + stats.reservedBytes + stats.mappedBytes).toBe(s.size);
}

const runAt = (s: HostAddressSpace, address: bigint): AddressRun | undefined =>
  s.runs().find((r) => r.start <= address && address < r.end);

describe('HostAddressSpace', () => {
  it('starts as one free run covering the space', () => {
    const s = space(16n);
    expect(s.runs()).toEqual([{ start: BASE, end: BASE + 16n * PAGE, state: 'free', owner: undefined }]);
    expect(s.stats()).toEqual({
      freeBytes: 16n * PAGE,
      reservedBytes: 0n,
      mappedBytes: 0n,
      largestFreeRun: 16n * PAGE,
      runCount: 1,
    });
  });

  it('rejects bad construction options and arguments', () => {
    expect(() => new HostAddressSpace({ base: BASE, size: PAGE, pageSize: 3000n })).toThrow(RangeError);
    expect(() => new HostAddressSpace({ base: BASE + 1n, size: PAGE, pageSize: PAGE })).toThrow(RangeError);
    expect(() => new HostAddressSpace({ base: BASE, size: PAGE + 1n, pageSize: PAGE })).toThrow(RangeError);
    expect(() => new HostAddressSpace({ base: BASE, size: 0n, pageSize: PAGE })).toThrow(RangeError);
    const s = space(16n);
    for (const call of [
      () => s.mapAnywhere(0n, 1n, owner()),
      () => s.mapAnywhere(-PAGE, 1n, owner()),
      () => s.mapAnywhere(PAGE, 3n, owner()),
      () => s.mapAnywhere(PAGE, 0n, owner()),
      () => s.reserve(0n, PAGE, owner()),
      () => s.reserve(PAGE, 6n * PAGE, owner()),
      () => s.place(BASE + 1n, PAGE, owner()),
      () => s.place(BASE, PAGE + 1n, owner()),
      () => s.place(BASE, 0n, owner()),
    ]) {
      expect(call).toThrow(RangeError);
    }
    expect(s.runs()).toHaveLength(1);
  });

  it('honours every power-of-two alignment, never below the page size', () => {
    const s = space(1n << 18n); // 1 GiB
    for (let shift = 0n; shift <= 24n; shift++) {
      const alignment = 1n << shift;
      // A one-page mapping first, so the next free address is usually misaligned.
      expect(s.mapAnywhere(1n, 1n, owner())).toBeDefined();
      const address = s.mapAnywhere(100n, alignment, owner());
      expect(address).toBeDefined();
      const effective = alignment > PAGE ? alignment : PAGE;
      expect(address! % effective).toBe(0n);
      checkInvariants(s);
    }
  });

  it('aligns absolute addresses, not offsets from the base', () => {
    const s = space(64n, BASE + PAGE); // base aligned only to the page size
    const address = s.mapAnywhere(PAGE, 8n * PAGE, owner());
    expect(address).toBe(BASE + 8n * PAGE);
    // The skipped pages before it stay free.
    expect(runAt(s, BASE + PAGE)).toMatchObject({ start: BASE + PAGE, end: BASE + 8n * PAGE, state: 'free' });
  });

  it('rounds lengths up to whole pages', () => {
    const s = space(16n);
    const o = owner();
    expect(s.mapAnywhere(1n, 1n, o)).toBe(BASE);
    expect(s.mapAnywhere(PAGE + 1n, 1n, o)).toBe(BASE + PAGE);
    expect(s.reserve(PAGE, 1n, o)).toBe(BASE + 3n * PAGE);
    expect(s.runs().map((r) => [r.start - BASE, r.end - BASE, r.state])).toEqual([
      [0n, PAGE, 'mapped'],
      [PAGE, 3n * PAGE, 'mapped'],
      [3n * PAGE, 4n * PAGE, 'reserved'],
      [4n * PAGE, 16n * PAGE, 'free'],
    ]);
    expect(s.stats().mappedBytes).toBe(3n * PAGE);
  });

  it('is first-fit from the lowest address', () => {
    const s = space(16n);
    const a = owner();
    const addresses = [0, 1, 2, 3].map(() => s.mapAnywhere(2n * PAGE, 1n, a)!);
    expect(addresses).toEqual([BASE, BASE + 2n * PAGE, BASE + 4n * PAGE, BASE + 6n * PAGE]);
    s.unmap(addresses[1]!, 2n * PAGE, a);
    s.unmap(addresses[3]!, 2n * PAGE, a);
    // Both the hole at page 2 and the free tail at page 6 fit; the lowest wins.
    expect(s.mapAnywhere(PAGE, 1n, a)).toBe(BASE + 2n * PAGE);
    // Too big for what is left of the first hole: goes to the next run that fits.
    expect(s.mapAnywhere(2n * PAGE, 1n, a)).toBe(BASE + 6n * PAGE);
    expect(s.mapAnywhere(PAGE, 1n, a)).toBe(BASE + 3n * PAGE);
    checkInvariants(s);
  });

  it('returns undefined when the space is exhausted', () => {
    const s = space(8n);
    expect(s.mapAnywhere(8n * PAGE + 1n, 1n, owner())).toBeUndefined();
    expect(s.mapAnywhere(8n * PAGE, 1n, owner())).toBe(BASE);
    expect(s.mapAnywhere(1n, 1n, owner())).toBeUndefined();
    expect(s.reserve(1n, 1n, owner())).toBeUndefined();
    expect(s.stats().freeBytes).toBe(0n);
    checkInvariants(s);
  });

  it('returns undefined when enough bytes are free but no run is long enough', () => {
    const s = space(64n);
    const o = owner();
    const addresses: bigint[] = [];
    for (;;) {
      const address = s.mapAnywhere(PAGE, 1n, o);
      if (address === undefined) break;
      addresses.push(address);
    }
    expect(addresses).toHaveLength(64);
    // Free the odd pages: none of them starts a two-page-aligned run.
    addresses.forEach((address, i) => {
      if (i % 2 === 1) s.unmap(address, PAGE, o);
    });
    const stats = s.stats();
    expect(stats.freeBytes).toBe(32n * PAGE);
    expect(stats.largestFreeRun).toBe(PAGE);
    expect(stats.freeBytes).toBeGreaterThan(2n * PAGE);
    expect(s.mapAnywhere(2n * PAGE, 1n, owner())).toBeUndefined();
    expect(s.reserve(2n * PAGE, 1n, owner())).toBeUndefined();
    // An aligned request fails too even though single pages are free.
    expect(s.mapAnywhere(PAGE, 2n * PAGE, owner())).toBeUndefined();
    checkInvariants(s);
  });

  it('merges free runs after unmapping, restoring the largest run', () => {
    const s = space(64n);
    const o = owner();
    const addresses = Array.from({ length: 64 }, () => s.mapAnywhere(PAGE, 1n, o)!);
    // Free the odd pages first, then the even ones, so merges happen on both sides.
    addresses.forEach((address, i) => i % 2 === 1 && s.unmap(address, PAGE, o));
    expect(s.stats().largestFreeRun).toBe(PAGE);
    addresses.forEach((address, i) => i % 2 === 0 && s.unmap(address, PAGE, o));
    expect(s.runs()).toEqual([{ start: BASE, end: BASE + 64n * PAGE, state: 'free', owner: undefined }]);
    expect(s.stats().largestFreeRun).toBe(64n * PAGE);
    expect(s.mapAnywhere(64n * PAGE, 1n, o)).toBe(BASE);
  });

  it('places a mapping inside a reservation', () => {
    const s = space(32n);
    const r = owner();
    const m = owner();
    const reservation = s.reserve(8n * PAGE, 1n, r)!;
    expect(reservation).toBe(BASE);
    expect(s.place(reservation + 2n * PAGE, 3n * PAGE, m)).toBe('ok');
    expect(s.runs()).toEqual([
      { start: BASE, end: BASE + 2n * PAGE, state: 'reserved', owner: r },
      { start: BASE + 2n * PAGE, end: BASE + 5n * PAGE, state: 'mapped', owner: m },
      { start: BASE + 5n * PAGE, end: BASE + 8n * PAGE, state: 'reserved', owner: r },
      { start: BASE + 8n * PAGE, end: BASE + 32n * PAGE, state: 'free', owner: undefined },
    ]);
    expect(s.overlapsMapping(BASE, 2n * PAGE)).toBe(false);
    expect(s.overlapsMapping(BASE, 2n * PAGE + 1n)).toBe(true);
    expect(s.overlapsMapping(BASE + 5n * PAGE - 1n, 1n)).toBe(true);
    expect(s.overlapsMapping(BASE + 5n * PAGE, 3n * PAGE)).toBe(false);
    checkInvariants(s);
  });

  it('places across reservations of different owners', () => {
    const s = space(32n);
    const a = s.reserve(PAGE, 1n, owner())!;
    s.reserve(PAGE, 1n, owner());
    expect(s.place(a, 2n * PAGE, owner())).toBe('ok');
    expect(s.runs()[0]).toMatchObject({ start: BASE, end: BASE + 2n * PAGE, state: 'mapped' });
  });

  it('rejects bad placements without changing anything', () => {
    const s = space(32n);
    const r = owner();
    const reservation = s.reserve(8n * PAGE, 1n, r)!;
    expect(s.place(reservation, PAGE, owner())).toBe('ok');
    const before = s.runs();
    const attempts: [bigint, bigint, string][] = [
      [reservation + 8n * PAGE, PAGE, 'not-reserved'], // just past the reservation
      [reservation + 6n * PAGE, 4n * PAGE, 'not-reserved'], // straddles its end
      [BASE + 20n * PAGE, PAGE, 'not-reserved'],
      [reservation, PAGE, 'overlaps-mapping'],
      [reservation, 4n * PAGE, 'overlaps-mapping'],
      [reservation, 16n * PAGE, 'overlaps-mapping'], // mapped and free bytes: the mapping wins
      [BASE - PAGE, 2n * PAGE, 'outside'],
      [BASE + 31n * PAGE, 2n * PAGE, 'outside'],
      [BASE + 32n * PAGE, PAGE, 'outside'],
      [0n, PAGE, 'outside'],
    ];
    for (const [start, length, expected] of attempts) {
      expect(s.place(start, length, owner())).toBe(expected);
      expect(s.runs()).toEqual(before);
    }
  });

  it('keeps the range reserved on unmap with keepReservedBy, and mapAnywhere avoids reservations', () => {
    const s = space(32n);
    const r = owner();
    const m = owner();
    const reservation = s.reserve(8n * PAGE, 1n, r)!;
    expect(s.place(reservation + 4n * PAGE, 4n * PAGE, m)).toBe('ok');
    s.unmap(reservation + 4n * PAGE, 4n * PAGE, m, r);
    expect(s.stats()).toMatchObject({ reservedBytes: 8n * PAGE, mappedBytes: 0n });
    expect(runAt(s, reservation + 4n * PAGE)).toMatchObject({ state: 'reserved', owner: r });

    const placed: bigint[] = [];
    for (;;) {
      const address = s.mapAnywhere(PAGE, 1n, owner());
      if (address === undefined) break;
      placed.push(address);
    }
    expect(placed).toHaveLength(24);
    for (const address of placed) {
      expect(address < reservation || address >= reservation + 8n * PAGE).toBe(true);
    }
    expect(s.stats()).toMatchObject({ freeBytes: 0n, reservedBytes: 8n * PAGE });
    checkInvariants(s);
  });

  it('leaves a free hole in the reservation when a placed mapping is unmapped without keepReservedBy', () => {
    const s = space(32n);
    const r = owner();
    const m = owner();
    const reservation = s.reserve(8n * PAGE, 1n, r)!;
    expect(s.place(reservation + 2n * PAGE, 2n * PAGE, m)).toBe('ok');
    s.unmap(reservation + 2n * PAGE, 2n * PAGE, m);
    expect(s.runs().map((x) => [x.start - BASE, x.end - BASE, x.state])).toEqual([
      [0n, 2n * PAGE, 'reserved'],
      [2n * PAGE, 4n * PAGE, 'free'],
      [4n * PAGE, 8n * PAGE, 'reserved'],
      [8n * PAGE, 32n * PAGE, 'free'],
    ]);
    // The hole is ordinary free space again: first fit lands in it, and placing there fails.
    expect(s.place(reservation + 2n * PAGE, PAGE, m)).toBe('not-reserved');
    expect(s.mapAnywhere(PAGE, 1n, owner())).toBe(reservation + 2n * PAGE);
    checkInvariants(s);
  });

  it('throws when unmapping something that is not exactly one mapping of the owner', () => {
    const s = space(32n);
    const m = owner();
    const r = owner();
    const address = s.mapAnywhere(4n * PAGE, 1n, m)!;
    const reservation = s.reserve(PAGE, 1n, r)!;
    expect(() => s.unmap(address, 4n * PAGE, owner())).toThrow(Error);
    expect(() => s.unmap(address, 2n * PAGE, m)).toThrow(Error);
    expect(() => s.unmap(address + PAGE, 3n * PAGE, m)).toThrow(Error);
    expect(() => s.unmap(address, 8n * PAGE, m)).toThrow(Error);
    expect(() => s.unmap(reservation, PAGE, r)).toThrow(Error);
    expect(() => s.unmap(BASE + 20n * PAGE, PAGE, m)).toThrow(Error);
    // The requested length rounds up like mapAnywhere's does.
    s.unmap(address, 3n * PAGE + 1n, m);
    expect(s.stats().mappedBytes).toBe(0n);
  });

  it('releaseReserved frees only the reserved runs of that owner', () => {
    const s = space(32n);
    const r = owner();
    const other = owner();
    const m = owner();
    const first = s.reserve(4n * PAGE, 1n, r)!;
    const second = s.reserve(2n * PAGE, 1n, other)!;
    const third = s.reserve(4n * PAGE, 1n, r)!;
    expect(s.place(first + PAGE, PAGE, m)).toBe('ok');
    expect(s.place(third, 4n * PAGE, m)).toBe('ok');
    expect(s.releaseReserved(r)).toBe(3n * PAGE);
    expect(s.runs().map((x) => [x.start - BASE, x.end - BASE, x.state, x.owner])).toEqual([
      [0n, PAGE, 'free', undefined],
      [PAGE, 2n * PAGE, 'mapped', m],
      [2n * PAGE, 4n * PAGE, 'free', undefined],
      [second - BASE, second - BASE + 2n * PAGE, 'reserved', other],
      [third - BASE, third - BASE + 4n * PAGE, 'mapped', m],
      [10n * PAGE, 32n * PAGE, 'free', undefined],
    ]);
    expect(s.releaseReserved(r)).toBe(0n);
    expect(s.releaseReserved(other)).toBe(2n * PAGE);
    // The freed reservation of `other` merges with the free run before it.
    expect(runAt(s, second)).toMatchObject({ start: BASE + 2n * PAGE, end: BASE + 6n * PAGE, state: 'free' });
    checkInvariants(s);
  });

  it('keeps its invariants over 2000 random operations', () => {
    // mulberry32: small, seeded, good enough to drive the operations reproducibly.
    let seed = 0x5eed1234;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (n: number): number => Math.floor(random() * n);
    const big = (n: number): bigint => BigInt(int(n));

    const pages = 64;
    const s = space(BigInt(pages));
    const reservationOwners = [owner(), owner(), owner()];
    const live = new Map<bigint, { length: bigint; owner: object }>();
    const counts = { ok: 0, undefined: 0 };
    const placeResults = new Set<string>();

    const expectNoOverlapWithLive = (start: bigint, length: bigint): void => {
      for (const [liveStart, m] of live) {
        expect(start + length <= liveStart || liveStart + m.length <= start).toBe(true);
      }
    };

    for (let step = 0; step < 2000; step++) {
      const op = int(6);
      if (op === 0 || op === 1) {
        const length = 1n + big(8 * 4096);
        const alignment = 1n << big(17);
        const o = owner();
        const before = s.runs();
        const address =
          op === 0 ? s.mapAnywhere(length, alignment, o) : s.reserve(length, alignment, reservationOwners[int(3)]!);
        if (address === undefined) {
          counts.undefined++;
          expect(s.runs()).toEqual(before);
        } else {
          counts.ok++;
          const marked = ((length + PAGE - 1n) / PAGE) * PAGE;
          const effective = alignment > PAGE ? alignment : PAGE;
          expect(address % effective).toBe(0n);
          expect(runAt(s, address)).toMatchObject({
            start: address,
            end: address + marked,
            state: op === 0 ? 'mapped' : 'reserved',
          });
          expectNoOverlapWithLive(address, marked);
          // It went into free space, and nothing lower would have fit.
          for (const r of before) {
            const lowestAligned = ((r.start + effective - 1n) / effective) * effective;
            if (r.start <= address && address < r.end) {
              expect(r.state).toBe('free');
              expect(address).toBe(lowestAligned);
            }
            if (r.state === 'free' && r.end <= address) expect(lowestAligned + marked > r.end).toBe(true);
          }
          if (op === 0) live.set(address, { length: marked, owner: o });
        }
      } else if (op === 2) {
        // Place: mostly inside a reserved run, sometimes anywhere.
        const reserved = s.runs().filter((r) => r.state === 'reserved');
        const target = reserved[int(reserved.length)];
        const start =
          target !== undefined && random() < 0.8
            ? target.start + big(Number((target.end - target.start) / PAGE)) * PAGE
            : BASE + (big(pages + 16) - 8n) * PAGE;
        const length = (1n + big(6)) * PAGE;
        const o = owner();
        const before = s.runs();
        const result = s.place(start, length, o);
        placeResults.add(result);
        if (result === 'ok') {
          expect(runAt(s, start)).toMatchObject({ start, end: start + length, state: 'mapped', owner: o });
          expectNoOverlapWithLive(start, length);
          live.set(start, { length, owner: o });
        } else {
          expect(s.runs()).toEqual(before);
          const touched = before.filter((r) => r.start < start + length && r.end > start);
          if (result === 'outside') expect(start < BASE || start + length > BASE + s.size).toBe(true);
          if (result === 'overlaps-mapping') expect(touched.some((r) => r.state === 'mapped')).toBe(true);
          if (result === 'not-reserved') expect(touched.some((r) => r.state === 'free')).toBe(true);
        }
      } else if (op === 3 || op === 4) {
        const entries = [...live];
        const entry = entries[int(entries.length)];
        if (entry !== undefined) {
          const [start, m] = entry;
          const keep = random() < 0.3 ? reservationOwners[int(3)] : undefined;
          s.unmap(start, m.length, m.owner, keep);
          live.delete(start);
          expect(runAt(s, start)?.state).toBe(keep === undefined ? 'free' : 'reserved');
        }
      } else {
        const o = reservationOwners[int(3)]!;
        const before = s.runs();
        const expected = before
          .filter((r) => r.state === 'reserved' && r.owner === o)
          .reduce((sum, r) => sum + r.end - r.start, 0n);
        expect(s.releaseReserved(o)).toBe(expected);
        expect(s.runs().some((r) => r.state === 'reserved' && r.owner === o)).toBe(false);
      }

      checkInvariants(s);
      // The mapped runs are exactly the live mappings.
      const mapped = s.runs().filter((r) => r.state === 'mapped');
      expect(mapped.map((r) => [r.start, r.end, r.owner])).toEqual(
        [...live].sort(([a], [b]) => (a < b ? -1 : 1)).map(([start, m]) => [start, start + m.length, m.owner]),
      );
    }
    // The run exercised both outcomes.
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts.undefined).toBeGreaterThan(10);
    expect([...placeResults].sort()).toEqual(['not-reserved', 'ok', 'outside', 'overlaps-mapping']);
  });
});

describe('releasing a reservation', () => {
  it('refuses a second release of the same range, as the native addon does, and changes nothing', async () => {
    const { HostMapper } = await import('../src/host-mapper.js');
    const { VkmapStateError } = await import('@vkmap/core');
    const s = space(64n);
    const mapper = new HostMapper(s, 64);
    const range = mapper.reserve(8n * PAGE, PAGE);
    const other = mapper.reserve(8n * PAGE, PAGE);
    mapper.releaseReservation(range);
    const before = s.runs();
    expect(() => mapper.releaseReservation(range)).toThrow(VkmapStateError);
    expect(() => mapper.releaseReservation(range)).toThrow(/already been released/);
    expect(s.runs()).toEqual(before);
    mapper.releaseReservation(other);
    expect(s.stats().reservedBytes).toBe(0n);
  });
});
