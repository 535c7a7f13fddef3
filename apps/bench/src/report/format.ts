/** Number formatting shared by the table and the chart. */

/** 6.59 ns, 4.27 µs, 1.66 ms. */
export function formatNs(ns: number | null): string {
  if (ns === null || !Number.isFinite(ns)) return 'n/a';
  if (ns < 100) return `${ns.toFixed(1)} ns`;
  if (ns < 1e3) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(2)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

/** Bytes per nanosecond are GB/s. */
export function formatBandwidth(bytes: number, ns: number | null): string {
  if (ns === null || !(ns > 0)) return 'n/a';
  return `${(bytes / ns).toFixed(2)} GB/s`;
}

export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '-';
  if (ratio >= 100) return `${ratio.toFixed(0)}x`;
  if (ratio >= 10) return `${ratio.toFixed(1)}x`;
  if (ratio < 0.1 && ratio > 0) return `${ratio.toPrecision(2)}x (1/${(1 / ratio).toFixed(0)})`;
  return `${ratio.toFixed(2)}x`;
}
