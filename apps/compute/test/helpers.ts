/** Runs the app in this process, as `vkmap-compute <args>` would, and captures what it prints. */
import { isNativeAvailable } from '@vkmap/native';
import { main } from '../src/cli.js';

export interface AppRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runApp(args: readonly string[]): Promise<AppRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** The app's --json output. */
export async function runJson<T = Record<string, unknown>>(args: readonly string[]): Promise<AppRun & { json: T }> {
  const run = await runApp([...args, '--json']);
  return { ...run, json: JSON.parse(run.stdout) as T };
}

export const native = isNativeAvailable();
/** Appended to the names of native tests: why they are skipped, where they are. */
export const nativeSkipNote = native.available ? '' : ` (skipped: ${native.reason ?? 'native backend unavailable'})`;
