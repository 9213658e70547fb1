// Run `fn` over items with at most `concurrency` in flight, yielding each result as it finishes
// (so ndjson output streams while slow devices are still running). `fn` must not throw: each
// item's failure belongs in its result, not in the whole run.

export async function* pool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): AsyncGenerator<R> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const done: R[] = [];
  let wake: (() => void) | undefined;
  let next = 0;
  let running = 0;
  let failure: { error: unknown } | undefined;

  const start = (): void => {
    while (running < concurrency && next < items.length) {
      const index = next++;
      running++;
      fn(items[index]!, index).then(
        (r) => { done.push(r); },
        (error: unknown) => { failure ??= { error }; },
      ).finally(() => {
        running--;
        start();
        wake?.();
      });
    }
  };

  start();
  let yielded = 0;
  while (yielded < items.length) {
    if (failure) throw failure.error;
    if (done.length === 0) {
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = undefined;
      continue;
    }
    yielded++;
    yield done.shift()!;
  }
}
