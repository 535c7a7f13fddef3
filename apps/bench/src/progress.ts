/**
 * What the bench is measuring, as it goes: one line per step on stderr (stdout may carry --json). On a terminal
 * the step line is redrawn in place; in a pipe or a log every step is its own line.
 */
export interface Sink {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export class Progress {
  #open = false;

  constructor(private readonly sink: Sink) {}

  /** A step of the current benchmark ("map + unmap 64 KiB: round 3/9"). */
  step(text: string): void {
    if (this.sink.isTTY) {
      this.sink.write(`\r\x1b[2K${text}`);
      this.#open = true;
    } else {
      this.sink.write(`${text}\n`);
    }
  }

  /** A line that stays (a section, a peer that cannot run). */
  note(text: string): void {
    this.done();
    this.sink.write(`${text}\n`);
  }

  /** Ends the redrawn line. */
  done(): void {
    if (this.#open) this.sink.write('\r\x1b[2K');
    this.#open = false;
  }
}
