/**
 * One progress line on a terminal for work that takes more than a second: `label… 2.4 s`, redrawn in place
 * and erased when the phase ends, so short phases leave no trace. Written to stderr only where stderr is a
 * terminal (never into a pipe, a file or --json output). While the event loop is free (a Promise-returning
 * fence wait on a real GPU) the seconds count up; the emulated GPU runs submitted work in one turn of the
 * event loop when the fence is waited, so there the line shows what is running until it is done.
 */
export interface ProgressSink {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 250;

export class Progress {
  private label = '';
  private started = 0;
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(private readonly sink: ProgressSink | undefined) {}

  private get enabled(): boolean {
    return this.sink?.isTTY === true;
  }

  /** Starts a phase; `long`: the phase is expected to block the event loop, so its line is drawn at once. */
  start(label: string, long = false): void {
    this.end();
    if (!this.enabled) return;
    this.label = label;
    this.started = performance.now();
    if (long) this.draw();
    this.timer = setInterval(() => {
      if (performance.now() - this.started >= SHOW_AFTER_MS) this.draw();
    }, REDRAW_MS);
    this.timer.unref();
  }

  /** Ends the phase and erases its line. */
  end(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.shown) this.sink?.write('\r\x1b[2K');
    this.shown = false;
  }

  private draw(): void {
    const seconds = (performance.now() - this.started) / 1000;
    this.sink?.write(`\r\x1b[2K${this.label}… ${seconds >= 1 ? `${seconds.toFixed(1)} s` : ''}`);
    this.shown = true;
  }
}
