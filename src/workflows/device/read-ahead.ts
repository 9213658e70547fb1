// Reads one item ahead of the consumer: while a page of devices is merged and written, the next
// page is already on its way.
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  // A consumer that stops early leaves the read-ahead unawaited: its failure must not go unhandled.
  next.catch(() => undefined);
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      next.catch(() => undefined);
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}
