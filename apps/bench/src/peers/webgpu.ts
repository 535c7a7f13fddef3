/**
 * The WebGPU peer (the `webgpu` package: Dawn's dawn.node): each batch of map round trips runs in a fresh
 * child process (peers/webgpu-child.ts). Where the package is missing, finds no adapter or crashes, the answer
 * says so, and the report carries the reason.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinned } from '../pin.js';

const child = fileURLToPath(new URL('./webgpu-child.js', import.meta.url));

export interface WebgpuBatch {
  readonly nsPerOp?: number;
  readonly adapter?: string;
  readonly error?: string;
}

/** Runs one batch of `iterations` 64 KiB (or `size`) map round trips in a fresh process. */
export function webgpuBatch(size: number, iterations: number, timeoutMs = 120_000): Promise<WebgpuBatch> {
  return new Promise((resolve) => {
    const [file, args] = pinned(process.execPath, [child, '--size', String(size), '--iterations', String(iterations)]);
    const proc = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    proc.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('error', (error) => resolve({ error: `could not start node: ${error.message}` }));
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      // Dawn prints warnings on stdout too: the answer is the last JSON line.
      const line = stdout
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{'));
      if (line) {
        try {
          return resolve(JSON.parse(line) as WebgpuBatch);
        } catch {}
      }
      const last = stderr.trim().split('\n').slice(-3).join(' | ');
      resolve({
        error: `the webgpu batch process ended with ${signal ?? `exit code ${code}`}${last ? `: ${last}` : ''}`,
      });
    });
  });
}
