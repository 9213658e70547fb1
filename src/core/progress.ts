// Spinners and progress bars on stderr, only when stderr is a terminal and neither --quiet nor
// CI asks for silence. Elsewhere they degrade to milestone lines (or nothing with --quiet).
import type { IOStreams, TtyPolicy } from './io.js';

export interface Spinner {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

export interface ProgressBar {
  /** Advances by `n` (default 1) and optionally names the current item. */
  tick(n?: number, label?: string): void;
  done(text?: string): void;
}

export class Progress {
  constructor(private readonly io: IOStreams, private readonly tty: TtyPolicy, private readonly quiet: boolean) {}

  /** Animated output is allowed. */
  get live(): boolean {
    return this.tty.stderrIsTTY && !this.quiet && !this.tty.ci;
  }

  async spinner(text: string): Promise<Spinner> {
    if (!this.live) {
      this.line(`${text}…`);
      return {
        update: () => undefined,
        succeed: (t) => this.line(`✓ ${t ?? text}`),
        fail: (t) => this.line(`✗ ${t ?? text}`),
        stop: () => undefined,
      };
    }
    const { default: ora } = await import('ora');
    const spin = ora({ text, stream: this.io.stderr as NodeJS.WritableStream, color: 'cyan', isEnabled: true }).start();
    return {
      update: (t) => { spin.text = t; },
      succeed: (t) => { spin.succeed(t ?? spin.text); },
      fail: (t) => { spin.fail(t ?? spin.text); },
      stop: () => { spin.stop(); },
    };
  }

  /** A bar with a real denominator; without a TTY, a line at every 10 %. */
  bar(label: string, total: number): ProgressBar {
    let current = 0;
    let lastDecile = -1;
    const width = 30;
    const render = (item?: string): void => {
      if (this.live) {
        const filled = total === 0 ? width : Math.round((current / total) * width);
        const text = `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${current}/${total}${item ? ` ${item}` : ''}`;
        this.io.stderr.write(`${text}\u001b[K`);
        return;
      }
      const decile = total === 0 ? 10 : Math.floor((current / total) * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        this.line(`${label}: ${current}/${total}`);
      }
    };
    return {
      tick: (n = 1, item) => { current = Math.min(total, current + n); render(item); },
      done: (text) => {
        if (this.live) this.io.stderr.write('\r\u001b[K');
        this.line(text ?? `${label}: ${current}/${total} done`);
      },
    };
  }

  private line(text: string): void {
    if (!this.quiet) this.io.stderr.write(`${text}\n`);
  }
}
