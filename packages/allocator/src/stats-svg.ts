import { NO_SPACE } from './block-algorithm.js';
import type { StatsSource } from './stats-source.js';
import { propertyFlagNames } from './type-selection.js';

export interface SvgOptions {
  /** Width in pixels of the largest block (default 1024); other blocks are drawn to the same scale. */
  readonly width?: number;
}

const ROW_HEIGHT = 20;
const LABEL_HEIGHT = 16;
const ROW_GAP = 10;
const MARGIN = 10;
const COLORS = { free: '#e5e7eb', allocation: '#2563eb', dedicated: '#f59e0b', border: '#374151' };

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => `&${({ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' } as const)[c as '<']};`,
  );
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

interface Row {
  readonly label: string;
  readonly size: number;
  readonly regions: { offset: number; size: number; kind: 'free' | 'allocation' | 'dedicated'; title: string }[];
}

/** Draws every block and dedicated allocation as a bar: allocations in blue, free ranges in grey, to scale. */
export function buildStatsSvg(source: StatsSource, options: SvgOptions = {}): string {
  const width = options.width ?? 1024;
  const rows: Row[] = [];
  const typeName = (type: number) =>
    `Type ${type} (${propertyFlagNames(source.memoryProperties.memoryTypes[type]!.propertyFlags).join('|') || 'no flags'})`;
  const pools = [
    ...source.defaultPools.map((pool) => ({ ...pool, label: 'default pool' })),
    ...source.customPools.map((pool) => ({ ...pool, label: `pool ${pool.label}` })),
  ];
  for (const pool of pools) {
    for (const block of pool.blocks) {
      const regions: Row['regions'] = [];
      block.algorithm.forEachRegion((offset, size, handle) => {
        const allocation = handle === NO_SPACE ? undefined : block.allocationAt(handle);
        const name = allocation?.name === undefined ? '' : ` ${allocation.name}`;
        regions.push({
          offset,
          size,
          kind: handle === NO_SPACE ? 'free' : 'allocation',
          title:
            handle === NO_SPACE
              ? `free: ${size} bytes at ${offset}`
              : block.isQuarantined(handle)
                ? `quarantined (freed, a view of it may be alive): ${size} bytes at ${offset}`
                : `allocation${name}: ${size} bytes at ${offset}`,
        });
      });
      rows.push({
        label: `${typeName(pool.memoryTypeIndex)}, ${pool.label}, block ${block.id}: ${formatBytes(block.algorithm.size)}, ${block.algorithm.allocationCount} allocations, ${formatBytes(block.algorithm.freeBytes)} free`,
        size: block.algorithm.size,
        regions,
      });
    }
    for (const allocation of pool.dedicated) {
      const size = Number(allocation.size);
      const name = allocation.name === undefined ? '' : ` ${allocation.name}`;
      rows.push({
        label: `${typeName(pool.memoryTypeIndex)}, ${pool.label}, dedicated${name}: ${formatBytes(size)}`,
        size,
        regions: [{ offset: 0, size, kind: 'dedicated', title: `dedicated allocation${name}: ${size} bytes` }],
      });
    }
  }
  const largest = rows.reduce((max, row) => Math.max(max, row.size), 1);
  const scale = width / largest;
  const parts: string[] = [];
  let y = MARGIN;
  for (const row of rows) {
    parts.push(
      `<text x="${MARGIN}" y="${y + LABEL_HEIGHT - 4}" font-family="sans-serif" font-size="12">${escapeXml(row.label)}</text>`,
    );
    y += LABEL_HEIGHT;
    const rowWidth = Math.max(1, row.size * scale);
    for (const region of row.regions) {
      const x = MARGIN + region.offset * scale;
      const w = Math.max(region.kind === 'free' ? 0.5 : 1, region.size * scale);
      parts.push(
        `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${ROW_HEIGHT}" fill="${COLORS[region.kind]}"><title>${escapeXml(region.title)}</title></rect>`,
      );
    }
    parts.push(
      `<rect x="${MARGIN}" y="${y}" width="${rowWidth.toFixed(2)}" height="${ROW_HEIGHT}" fill="none" stroke="${COLORS.border}" stroke-width="1"/>`,
    );
    y += ROW_HEIGHT + ROW_GAP;
  }
  if (rows.length === 0) {
    parts.push(`<text x="${MARGIN}" y="${y + 12}" font-family="sans-serif" font-size="12">no blocks</text>`);
    y += LABEL_HEIGHT;
  }
  const height = y + MARGIN;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width + 2 * MARGIN}" height="${height}" viewBox="0 0 ${width + 2 * MARGIN} ${height}">\n` +
    `<title>vkmap allocator: ${rows.length} blocks and dedicated allocations</title>\n` +
    parts.join('\n') +
    '\n</svg>\n'
  );
}
