// k-way merge of time-ordered sources: each source yields pages of events in ascending time, a
// binary min-heap holds one cursor per source keyed by its head event, and the merged timeline
// comes out in batches. Only the current page of each source is in memory, so memory stays flat
// however long the timeline is. A source that fails (even half-way) is dropped from the heap
// and reported; the others go on.
import type { AuditSource, Timed } from './event.js';

export interface SourceStream {
  name: AuditSource;
  /** How failures name it when several contexts are merged (`keycloak (local-acme)`). */
  label?: string;
  /** Pages of events, each ascending, pages in order. */
  pages: AsyncIterable<Timed[]>;
}

export interface SourceFailure {
  source: AuditSource;
  label?: string;
  error: unknown;
}

interface Cursor {
  rank: number;
  name: AuditSource;
  label: string | undefined;
  it: AsyncIterator<Timed[]>;
  page: Timed[];
  i: number;
}

const before = (a: Cursor, b: Cursor): boolean => {
  const x = a.page[a.i]!.ms, y = b.page[b.i]!.ms;
  return x < y || (x === y && a.rank < b.rank);
};

class Heap {
  readonly items: Cursor[] = [];
  get size(): number { return this.items.length; }
  push(c: Cursor): void {
    const h = this.items;
    h.push(c);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  /** Restores the heap after the top's head changed. */
  siftDown(i = 0): void {
    const h = this.items;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
  pop(): Cursor | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      this.siftDown(0);
    }
    return top;
  }
}

/** Next non-empty page of a cursor; false when the source is exhausted or failed. */
async function refill(c: Cursor, onFailure: (f: SourceFailure) => void): Promise<boolean> {
  try {
    for (;;) {
      const r = await c.it.next();
      if (r.done) return false;
      if (r.value.length > 0) {
        c.page = r.value;
        c.i = 0;
        return true;
      }
    }
  } catch (error) {
    onFailure({ source: c.name, ...(c.label !== undefined ? { label: c.label } : {}), error });
    return false;
  }
}

export async function* mergeSources(sources: readonly SourceStream[], onFailure: (f: SourceFailure) => void, batchSize = 512): AsyncGenerator<Timed[]> {
  const heap = new Heap();
  const cursors = sources.map((s, rank): Cursor => ({ rank, name: s.name, label: s.label, it: s.pages[Symbol.asyncIterator](), page: [], i: 0 }));
  // The first page of every source is fetched concurrently.
  const ready = await Promise.all(cursors.map((c) => refill(c, onFailure)));
  cursors.forEach((c, k) => { if (ready[k]) heap.push(c); });
  let out: Timed[] = [];
  while (heap.size > 0) {
    const c = heap.items[0]!;
    out.push(c.page[c.i]!);
    c.i++;
    if (c.i < c.page.length) {
      heap.siftDown(0);
      if (out.length >= batchSize) {
        yield out;
        out = [];
      }
      continue;
    }
    // This source's page is used up: hand out what is merged so far, then fetch its next page.
    heap.pop();
    if (out.length > 0) {
      yield out;
      out = [];
    }
    if (await refill(c, onFailure)) heap.push(c);
  }
  if (out.length > 0) yield out;
}

/** Splits any async iterable of items into pages (for sources that read line by line). */
export async function* paginate<T>(items: AsyncIterable<T>, size = 1000): AsyncGenerator<T[]> {
  let page: T[] = [];
  for await (const item of items) {
    page.push(item);
    if (page.length >= size) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}
