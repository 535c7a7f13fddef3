/**
 * The results as a Markdown table (it reads as plain text too): per benchmark and side the median and the
 * minimum over the rounds, the ratio to the C baseline and to WebGPU (a ratio above 1 is slower than the peer),
 * then the slowdown check and the peers that could not run, with their reasons.
 */
import type { BenchmarkResult, Report, RowResult } from '../results.js';
import { formatBandwidth, formatNs, formatRatio } from './format.js';

function cell(benchmark: BenchmarkResult, value: number | null): string {
  const time = formatNs(value);
  return benchmark.bytesPerOp !== undefined && value !== null
    ? `${time} (${formatBandwidth(benchmark.bytesPerOp, value)})`
    : time;
}

/** A Markdown table row; a `|` inside a cell (memory property flags) is escaped so it stays in its cell. */
function line(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** Each distinct reason once, numbered: rows name theirs as "unavailable [n]". */
class Reasons {
  readonly list: string[] = [];
  mark(reason: string): string {
    let at = this.list.indexOf(reason);
    if (at < 0) at = this.list.push(reason) - 1;
    return `[${at + 1}]`;
  }
}

function rowCells(benchmark: BenchmarkResult, row: RowResult, first: boolean, reasons: Reasons): string[] {
  if (row.unavailable !== undefined)
    return [
      first ? benchmark.title : '',
      row.side,
      row.label,
      `unavailable ${reasons.mark(row.unavailable)}`,
      '',
      '',
      '',
    ];
  return [
    first ? benchmark.title : '',
    row.side,
    row.label,
    cell(benchmark, row.median),
    cell(benchmark, row.min),
    formatRatio(row.ratioToC),
    formatRatio(row.ratioToWebgpu),
  ];
}

/** The replay's rows where they have the shape it prints today ({ live, api, allocateRatio, freeRatio }). */
function replayLines(output: unknown): string[] {
  if (!Array.isArray(output)) return ['  (its JSON is in the report)'];
  return output.map((row: Record<string, unknown>) =>
    typeof row === 'object' && row !== null && 'live' in row
      ? `  live ${String(row['live']).padStart(6)} ${String(row['api'] ?? '').padEnd(7)} allocate ${formatRatio(Number(row['allocateRatio']))}, free ${formatRatio(Number(row['freeRatio']))}`
      : `  ${JSON.stringify(row)}`,
  );
}

export function renderTable(report: Report): string {
  const out: string[] = [];
  const reasons = new Reasons();
  const device = report.device.name
    ? `${report.device.name} (Vulkan ${report.device.apiVersion}), device ${report.device.index}, memory type ${report.device.memoryType}${report.device.unavailable ? `, vkmap unavailable ${reasons.mark(report.device.unavailable)}` : ''}`
    : `no device ${reasons.mark(report.device.unavailable ?? 'unknown')}`;
  out.push(
    `vkmap bench (${report.mode}), ${report.date}: ${device}; Node ${report.machine.node}, ${report.machine.cpus} CPUs (${report.machine.cpuModel})${report.machine.pinned ? ', pinned to CPU 1' : ''}; ${report.rounds} interleaved rounds, one process per side`,
    '',
  );
  out.push(line(['benchmark', 'side', 'what', 'median', 'min', 'ratio to C', 'ratio vs webgpu']));
  out.push(line(['---', '---', '---', '---:', '---:', '---:', '---:']));
  for (const benchmark of report.benchmarks)
    benchmark.rows.forEach((row, i) => out.push(line(rowCells(benchmark, row, i === 0, reasons))));

  const s = report.slowdown;
  out.push('');
  out.push(
    `Process-wide slowdown: Float32Array scalar loop over ordinary memory (64 Ki elements per pass), fresh processes, ${s.rounds} round(s); ratio = speed after ${s.cycles} map/unmap cycles / speed in a process that never loaded vkmap (target >= ${s.target}x)`,
  );
  out.push(
    `  never mapped:           ${s.unavailable ? `unavailable ${reasons.mark(s.unavailable)}` : `${formatNs(s.freshMedian)} per pass`}`,
  );
  for (const mode of s.modes) {
    const label = `views: '${mode.views}'`.padEnd(22);
    if (mode.unavailable) out.push(`  ${label}  unavailable ${reasons.mark(mode.unavailable)}`);
    else {
      const after = mode.samples.length ? [...mode.samples].sort((a, b) => a - b)[mode.samples.length >> 1]! : null;
      out.push(
        `  ${label}  ${formatNs(after)} per pass, ratio ${formatRatio(mode.ratio)} (${mode.met ? 'met' : 'MISSED'}); views detached at unmap: ${mode.viewsDetachedAtUnmap ? 'yes' : 'no'}`,
      );
    }
  }

  out.push('');
  const c = report.peers.c;
  const w = report.peers.webgpu;
  out.push(
    `C peer: ${c.available ? `built with ${c.compiler}` : `unavailable ${reasons.mark(c.reason ?? 'unknown')}`}`,
  );
  out.push(
    `webgpu peer: ${w.available ? `adapter ${w.adapter}` : `unavailable ${reasons.mark(w.reason ?? 'unknown')}`}`,
  );
  const replay = report.allocatorReplay;
  out.push(
    `allocator replay (src/allocator): ${replay.ran ? 'ran; vkmap TLSF / VMA, per live count and API:' : `not run: ${replay.reason}`}`,
  );
  if (replay.ran) out.push(...replayLines(replay.output));
  for (const benchmark of report.benchmarks) {
    if (benchmark.note) out.push(`note, ${benchmark.title}: ${benchmark.note}`);
    for (const row of benchmark.rows)
      for (const note of row.notes ?? []) out.push(`note, ${benchmark.title} [${row.side}]: ${note}`);
  }
  if (reasons.list.length) {
    out.push('', 'Why not:');
    reasons.list.forEach((reason, i) => out.push(`  [${i + 1}] ${reason}`));
  }
  return `${out.join('\n')}\n`;
}
