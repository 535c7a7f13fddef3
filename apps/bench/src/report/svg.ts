/**
 * The ratios as an SVG bar chart on a log scale: per vkmap row its ratio to C and to WebGPU (above 1: slower
 * than the peer), and the slowdown check's speed ratios (above its target: met). Hand-written SVG, no library.
 */
import type { Report } from '../results.js';
import { formatRatio } from './format.js';

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly series: 'c' | 'webgpu' | 'slowdown';
}

const COLORS = { c: '#3366cc', webgpu: '#e8833a', slowdown: '#2e9d5b' } as const;
const LEGEND = {
  c: 'ratio to C (time / C time)',
  webgpu: 'ratio vs webgpu (time / webgpu time)',
  slowdown: 'slowdown check (speed after / fresh)',
};

const escapeXml = (text: string): string =>
  text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

function bars(report: Report): Bar[] {
  const out: Bar[] = [];
  for (const benchmark of report.benchmarks) {
    for (const row of benchmark.rows) {
      const label = `${benchmark.short} [${row.side}]`;
      if (row.ratioToC !== null) out.push({ label, value: row.ratioToC, series: 'c' });
      if (row.ratioToWebgpu !== null) out.push({ label, value: row.ratioToWebgpu, series: 'webgpu' });
    }
  }
  for (const mode of report.slowdown.modes)
    if (mode.ratio !== null)
      out.push({
        label: `slowdown after ${report.slowdown.cycles} cycles, views '${mode.views}'`,
        value: mode.ratio,
        series: 'slowdown',
      });
  return out;
}

export function renderSvg(report: Report): string {
  const data = bars(report);
  const labelWidth = 330;
  const plotWidth = 420;
  const barHeight = 16;
  const gap = 6;
  const top = 56;
  const height = top + Math.max(1, data.length) * (barHeight + gap) + 40;
  const width = labelWidth + plotWidth + 90;
  const values = data.map((b) => b.value);
  const lo = Math.floor(Math.log10(Math.min(0.5, ...values)));
  const hi = Math.ceil(Math.log10(Math.max(2, ...values)));
  const x = (value: number) => labelWidth + ((Math.log10(value) - lo) / (hi - lo)) * plotWidth;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">${escapeXml(`vkmap bench (${report.mode}), ${report.date}`)}</text>`,
  );
  Object.entries(LEGEND).forEach(([series, text], i) => {
    const lx = 10 + i * 270;
    parts.push(
      `<rect x="${lx}" y="28" width="10" height="10" fill="${COLORS[series as Bar['series']]}"/>`,
      `<text x="${lx + 14}" y="37">${escapeXml(text)}</text>`,
    );
  });
  const bottom = top + data.length * (barHeight + gap);
  for (let e = lo; e <= hi; e++) {
    const gx = x(10 ** e).toFixed(1);
    parts.push(
      `<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${bottom}" stroke="${e === 0 ? '#000000' : '#dddddd'}"/>`,
      `<text x="${gx}" y="${bottom + 14}" text-anchor="middle">${escapeXml(formatRatio(10 ** e))}</text>`,
    );
  }
  const target = x(report.slowdown.target).toFixed(1);
  parts.push(
    `<line x1="${target}" y1="${top - 4}" x2="${target}" y2="${bottom}" stroke="${COLORS.slowdown}" stroke-dasharray="3,3"/>`,
  );
  data.forEach((bar, i) => {
    const y = top + i * (barHeight + gap);
    const x0 = x(10 ** lo);
    const x1 = x(bar.value);
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + barHeight - 4}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${x0.toFixed(1)}" y="${y}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${barHeight}" fill="${COLORS[bar.series]}"/>`,
      `<text x="${(x1 + 4).toFixed(1)}" y="${y + barHeight - 4}">${escapeXml(formatRatio(bar.value))}</text>`,
    );
  });
  if (data.length === 0) parts.push(`<text x="${labelWidth}" y="${top + 12}">no ratios: no peer ran</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
