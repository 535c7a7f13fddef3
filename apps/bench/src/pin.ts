/**
 * Every measured process runs under `taskset -c 1` where taskset exists, as the repository's other benchmarks
 * do: on a shared 2-core machine a process that moves between cores varies several times more. BENCH_PIN=0
 * turns it off.
 */
import { spawnSync } from 'node:child_process';

let taskset: boolean | undefined;

export function pinningActive(): boolean {
  if (process.env.BENCH_PIN === '0') return false;
  taskset ??= spawnSync('taskset', ['-c', '1', 'true']).status === 0;
  return taskset;
}

/** The command line that runs `command args` pinned (or as is). */
export function pinned(command: string, args: readonly string[]): [string, string[]] {
  return pinningActive() ? ['taskset', ['-c', '1', command, ...args]] : [command, [...args]];
}
