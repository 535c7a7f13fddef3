/**
 * The TLSF-vs-VMA allocator replay lives in src/allocator/ (its own part of the bench, with its own README
 * section): this only calls its entry point, src/allocator/run.mjs, where it is present and a VMA header is
 * given (--vma-header: VMA is in no registry and never enters this repository), and keeps its JSON.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Mode } from './modes.js';

const entry = fileURLToPath(new URL('../src/allocator/run.mjs', import.meta.url));

export interface ReplayResult {
  readonly ran: boolean;
  readonly output?: unknown;
  readonly reason?: string;
}

const MODE_ARGS: Record<Mode, string[]> = {
  full: [],
  quick: ['--live', '1000,10000', '--repeats', '3'],
  smoke: ['--live', '1000', '--repeats', '1'],
};

export function runAllocatorReplay(vmaHeader: string | undefined, mode: Mode): Promise<ReplayResult> {
  if (!existsSync(entry)) return Promise.resolve({ ran: false, reason: 'src/allocator/run.mjs is not there' });
  if (!vmaHeader)
    return Promise.resolve({
      ran: false,
      reason: 'no --vma-header <path to vk_mem_alloc.h> given (VMA is not vendored)',
    });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, '--vma-header', vmaHeader, '--json', ...MODE_ARGS[mode]], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
    child.on('error', (error) => resolve({ ran: false, reason: error.message }));
    child.on('close', (code) => {
      if (code !== 0) return resolve({ ran: false, reason: `src/allocator/run.mjs exited ${code}: ${stderr.trim()}` });
      try {
        resolve({ ran: true, output: JSON.parse(stdout) });
      } catch {
        resolve({ ran: false, reason: `src/allocator/run.mjs printed no JSON: ${stdout.slice(0, 200)}` });
      }
    });
  });
}
