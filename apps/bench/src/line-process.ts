/**
 * A side's long-lived process speaking the line protocol (protocol.ts): one request at a time, its answer the
 * next JSON line on stdout. Where the process dies, the pending request fails with the end of its stderr.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pinned } from './pin.js';

export class LineProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  #stderr = '';
  #exited: Promise<string>;

  constructor(
    readonly label: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const [file, argv] = pinned(command, args);
    this.#child = spawn(file, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    // A request written as the process dies fails with EPIPE here; the exit below carries the reason.
    this.#child.stdin.on('error', () => {});
    this.#child.stderr.setEncoding('utf8');
    this.#child.stderr.on('data', (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-4000);
    });
    this.#exited = new Promise((resolve) => {
      this.#child.on('error', (error) => resolve(`${label}: ${error.message}`));
      this.#child.on('exit', (code, signal) =>
        resolve(`${label} exited (${signal ?? `code ${code}`})${this.#stderr ? `: ${this.#stderr.trim()}` : ''}`),
      );
    });
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  /** Sends one request and parses its JSON answer; rejects where the process ends first. */
  async request<T = unknown>(line: string): Promise<T> {
    if (this.#child.exitCode === null && this.#child.stdin.writable) this.#child.stdin.write(`${line}\n`);
    const next = this.#lines.next().then((r) => (r.done ? undefined : r.value));
    const answer = await Promise.race([next, this.#exited.then(() => undefined)]);
    if (answer === undefined) throw new Error(await this.#exited);
    try {
      return JSON.parse(answer) as T;
    } catch {
      throw new Error(`${this.label} answered ${JSON.stringify(answer.slice(0, 200))} to "${line}"`);
    }
  }

  async close(): Promise<void> {
    if (this.#child.exitCode === null) this.#child.stdin.end('quit\n');
    const timer = setTimeout(() => this.#child.kill(), 5000);
    await this.#exited;
    clearTimeout(timer);
  }
}
