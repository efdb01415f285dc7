import { maskSecretText } from '../project/project-error-view.js';

/** Bytes of the log kept from the start and from the end; what lies between is dropped with a note. */
const HEAD_BYTES = 192 * 1024;
const TAIL_BYTES = 64 * 1024;

/**
 * A deployment's log, one timestamped line at a time, bounded: a `meltano install` that prints
 * megabytes keeps its beginning and its end. Lines are masked like quoted project text.
 */
export class DeploymentLog {
  private head: string[] = [];
  private headBytes = 0;
  private tail: string[] = [];
  private tailBytes = 0;
  private dropped = 0;
  private readonly now: () => Date;

  constructor(now: () => Date = () => new Date()) {
    this.now = now;
  }

  line(text: string): void {
    const line = `${this.now().toISOString()} ${maskSecretText(text.replace(/\s+$/, '')).slice(0, 4000)}`;
    const bytes = Buffer.byteLength(line) + 1;
    if (this.tail.length === 0 && this.headBytes + bytes <= HEAD_BYTES) {
      this.head.push(line);
      this.headBytes += bytes;
      return;
    }
    this.tail.push(line);
    this.tailBytes += bytes;
    while (this.tailBytes > TAIL_BYTES && this.tail.length > 1) {
      const first = this.tail.shift() ?? '';
      this.tailBytes -= Buffer.byteLength(first) + 1;
      this.dropped++;
    }
  }

  text(): string {
    const middle = this.dropped > 0 ? [`… ${this.dropped} lines left out …`] : [];
    return [...this.head, ...middle, ...this.tail].map((l) => `${l}\n`).join('');
  }
}
