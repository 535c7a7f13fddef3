/**
 * The child process of the adversarial suite: `node runner.mjs <case> <json params>` runs one case and
 * prints one line `@@ADVERSARIAL {"report": ...}` (or `{"error": ...}` when the case itself threw), then
 * lets the process end on its own, so that the environment's teardown is exercised too. In a worker thread
 * (cases/worker.ts) it runs the worker's loop instead.
 */
import { isMainThread } from 'node:worker_threads';
import { cases } from './cases/index.js';
import { workerMain } from './cases/worker.js';

const REPORT = '@@ADVERSARIAL ';

function json(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

async function main(): Promise<void> {
  const [name, params] = process.argv.slice(2);
  const run = cases[name ?? ''];
  if (!run) {
    process.stdout.write(`${REPORT}${json({ error: { name: 'Error', message: `no case ${name}` } })}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    const report = await run(JSON.parse(params ?? '{}'));
    process.stdout.write(`${REPORT}${json({ report })}\n`);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    process.stdout.write(
      `${REPORT}${json({ error: { name: e.constructor?.name ?? e.name, message: e.message, stack: e.stack } })}\n`,
    );
    process.exitCode = 1;
  }
}

if (isMainThread) void main();
else workerMain();
