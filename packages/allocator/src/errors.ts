import { VkmapStateError } from '@vkmap/core';

/** A live allocation, as leak reports list it. */
export interface LeakedAllocation {
  readonly name: string | undefined;
  readonly size: bigint;
  readonly memoryTypeIndex: number;
  readonly offset: bigint;
  readonly isDedicated: boolean;
  /** Custom pool name or id, undefined for the default pools. */
  readonly pool: string | undefined;
  /** Outstanding mapMemory calls. */
  readonly mapCount: number;
}

export function describeLeak(leak: LeakedAllocation): string {
  const name = leak.name === undefined ? 'unnamed allocation' : `allocation ${JSON.stringify(leak.name)}`;
  const where = leak.isDedicated ? 'dedicated memory' : `offset ${leak.offset} of a block`;
  const pool = leak.pool === undefined ? '' : ` in pool ${leak.pool}`;
  const mapped = leak.mapCount > 0 ? `, still mapped ${leak.mapCount} time${leak.mapCount === 1 ? '' : 's'}` : '';
  return `${name}: ${leak.size} bytes of memory type ${leak.memoryTypeIndex} at ${where}${pool}${mapped}`;
}

/**
 * Thrown by `destroy` (of the allocator or a pool) while allocations are still live: it lists them and
 * changes nothing, so they can still be freed.
 */
export class AllocationLeakError extends VkmapStateError {
  override name = 'AllocationLeakError';
  readonly leaks: readonly LeakedAllocation[];

  constructor(what: string, leaks: readonly LeakedAllocation[], remedy: string) {
    const shown = leaks.slice(0, 20).map((leak) => `  - ${describeLeak(leak)}`);
    if (leaks.length > shown.length) shown.push(`  ... and ${leaks.length - shown.length} more`);
    super(
      `${what} has ${leaks.length} live allocation${leaks.length === 1 ? '' : 's'}; ${remedy}:\n${shown.join('\n')}`,
    );
    this.leaks = leaks;
  }
}
