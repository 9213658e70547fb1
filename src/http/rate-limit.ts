// Client-side token bucket shared by all requests of one HTTP client. Bulk verbs run with
// concurrency, and backends (hawkBit, ThingsBoard) throttle or fall over when hammered; pacing
// ourselves avoids 429 storms instead of merely reacting to them. Waiters are served FIFO so a
// long bulk run cannot starve a single interactive call.

export interface TokenBucketOptions {
  requestsPerSecond: number;
  /** Tokens available at once (default: requestsPerSecond, at least 1). */
  burst?: number;
  now: () => number;
  /** Abortable sleep; must reject when the signal fires. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class TokenBucket {
  private readonly rate: number; // tokens per ms
  private readonly capacity: number;
  private tokens: number;
  private last: number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: TokenBucketOptions) {
    this.rate = opts.requestsPerSecond / 1000;
    this.capacity = Math.max(1, opts.burst ?? Math.floor(opts.requestsPerSecond));
    this.tokens = this.capacity;
    this.last = opts.now();
  }

  /** Unlimited when the rate is not a positive finite number. */
  static unlimited(requestsPerSecond: number): boolean {
    return !(requestsPerSecond > 0 && Number.isFinite(requestsPerSecond));
  }

  /** Resolves when a token is taken; returns the time waited in ms. */
  acquire(signal?: AbortSignal): Promise<number> {
    const turn = this.queue.then(() => this.take(signal));
    // The next waiter queues behind this one whether it succeeds or is aborted.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const now = this.opts.now();
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.rate);
      this.last = now;
    }
  }

  private async take(signal?: AbortSignal): Promise<number> {
    let waited = 0;
    this.refill();
    while (this.tokens < 1) {
      const ms = Math.ceil((1 - this.tokens) / this.rate);
      await this.opts.sleep(ms, signal);
      waited += ms;
      this.refill();
    }
    this.tokens -= 1;
    return waited;
  }
}
