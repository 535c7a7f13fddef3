/**
 * The parent side of the adversarial suite: runs one case in a child process (`process.execPath` with the
 * bundled runner, the case's name and its JSON parameters) and classifies how the child ended:
 *   'ok'     exit 0 with a report line;
 *   'failed' a report line that says the case threw (the child caught it), or exit != 0;
 *   'hang'   the child ran past its timeout (killed);
 *   'crash'  the child died of a signal (SIGABRT, SIGSEGV, ...).
 */
import { spawnSync } from 'node:child_process';
import { inject } from 'vitest';

export type Backend = 'native' | 'emulated';
export type Views = 'stable' | 'detach';

export interface Outcome<R = Record<string, unknown>> {
  kind: 'ok' | 'failed' | 'hang' | 'crash';
  signal: string | null;
  status: number | null;
  /** The case's report (undefined unless it printed one). */
  report: R | undefined;
  /** The case's error, when it threw: its class and message. */
  error: { name: string; message: string; stack?: string } | undefined;
  stderr: string;
  /** What to paste into a bug: the command line and the end of stderr. */
  detail: string;
}

const REPORT = '@@ADVERSARIAL ';

export function runCase<R = Record<string, unknown>>(
  name: string,
  params: Record<string, unknown> = {},
  options: { timeoutMs?: number; nodeArgs?: string[]; env?: Record<string, string | undefined> } = {},
): Outcome<R> {
  const runner = inject('adversarialRunner');
  const args = [...(options.nodeArgs ?? []), runner, name, JSON.stringify(params)];
  const env = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    env,
  });
  const timedOut = (child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  let report: R | undefined;
  let error: Outcome['error'];
  for (const line of (child.stdout ?? '').split('\n')) {
    if (!line.startsWith(REPORT)) continue;
    const parsed = JSON.parse(line.slice(REPORT.length)) as { report?: R; error?: Outcome['error'] };
    report = parsed.report;
    error = parsed.error;
  }
  const kind: Outcome['kind'] = timedOut
    ? 'hang'
    : child.signal
      ? 'crash'
      : child.status === 0 && report !== undefined && !error
        ? 'ok'
        : 'failed';
  const stderr = child.stderr ?? '';
  const detail =
    `node ${process.versions.node}: ${process.execPath} ${args.map((a) => `'${a}'`).join(' ')}\n` +
    `-> ${kind} (status ${child.status}, signal ${child.signal})` +
    (error ? `\ncase threw ${error.name}: ${error.message}\n${error.stack ?? ''}` : '') +
    (stderr ? `\nstderr (last 3000 chars):\n${stderr.slice(-3000)}` : '');
  return { kind, signal: child.signal, status: child.status, report, error, stderr, detail };
}

/**
 * Whether the native backend runs in the children (asked of a child, which loads the same addon as the
 * cases); with VKMAP_REQUIRE_NATIVE=1 its cases run (and fail) regardless.
 */
const availability = (() => {
  const out = runCase<{ available: boolean; reason?: string }>('native-available');
  return out.report ?? { available: false, reason: `the availability check ended '${out.kind}': ${out.detail}` };
})();
export const nativeRequired = process.env.VKMAP_REQUIRE_NATIVE === '1';
export const skipNative = !availability.available && !nativeRequired;
export const nativeSkipNote = skipNative ? ` (skipped: ${availability.reason ?? 'native backend unavailable'})` : '';

/** The backends a case runs on, each with the note its test name carries. */
export const backends: { backend: Backend; skip: boolean; note: string }[] = [
  { backend: 'native', skip: skipNative, note: nativeSkipNote },
  { backend: 'emulated', skip: false, note: '' },
];

/** The classes every refusal must be one of (@vkmap/core's, and the two built-in argument errors). */
export const ALLOWED_ERRORS = [
  'VkError',
  'ValidationError',
  'VkmapArgumentError',
  'VkmapStateError',
  'TypeError',
  'RangeError',
] as const;

export const nodeMajor = Number(process.versions.node.split('.')[0]);
