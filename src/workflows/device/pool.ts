// Bounded concurrency for per-device calls: results in input order.
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}

/** Like mapPool, but hands out each result as soon as it and all before it are ready. */
export async function* mapPoolOrdered<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): AsyncGenerator<R> {
  let active = 0;
  let stopped = false;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<void> => {
    if (active < Math.max(1, limit)) { active++; return; }
    await new Promise<void>((r) => waiting.push(r));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  const results = items.map(async (item, i) => {
    await slot();
    try {
      // The consumer stopped early: queued items are not started.
      return stopped ? (undefined as R) : await fn(item, i);
    } finally {
      release();
    }
  });
  // Failures surface in order; later ones are observed so none goes unhandled.
  results.forEach((p) => p.catch(() => undefined));
  try {
    for (const p of results) yield await p;
  } finally {
    stopped = true;
  }
}
