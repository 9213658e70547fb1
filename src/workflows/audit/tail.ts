// `cdm audit tail [--follow]`: the last n events of the merged timeline (a ring buffer, so memory
// is n events however long the history), then, with --follow, a poll of every source for what is
// newer than the last event printed. Events sharing the last printed millisecond are remembered
// so a poll that starts at that millisecond prints none of them twice.
import type { Factory } from '../../core/factory.js';
import { eventFilter, type Timed } from './event.js';
import { openSources, reportFailures, runMerge, type AuditOptions } from './export.js';
import { auditFormat, writeTimeline } from './render.js';

export interface TailOptions {
  lines: number;
  follow: boolean;
  intervalMs: number;
  format?: string | undefined;
}

export async function tailAudit(f: Factory, opts: AuditOptions, t: TailOptions): Promise<void> {
  const format = auditFormat(f, t.format);
  const ring: Timed[] = [];
  let opened = await openSources(f, opts);
  for (const s of opened.skipped) f.output().note(`audit: source ${s.source} left out: ${s.reason}`);
  const keep = eventFilter(opts);
  let run = runMerge(opened.streams, opts, keep);
  try {
    for await (const batch of run.batches) {
      for (const e of batch) {
        ring.push(e);
        if (ring.length > t.lines) ring.shift();
      }
    }
  } finally {
    await opened.close();
  }
  let lastMs = ring.length > 0 ? ring[ring.length - 1]!.ms : opts.since ?? f.clock();
  let seenAtLast = new Set(ring.filter((e) => e.ms === lastMs).map((e) => JSON.stringify(e.event)));
  await writeTimeline(f, format, one(ring));
  if (!t.follow) {
    reportFailures(f, run.failures, opened.streams.length);
    return;
  }
  const warned = new Set<string>();
  const warn = (failures: typeof run.failures): void => {
    for (const x of failures) {
      const name = x.label ?? x.source;
      if (warned.has(name)) continue;
      warned.add(name);
      f.output().warn(`audit: source ${name} failed: ${(x.error as Error).message ?? String(x.error)} (retrying every poll)`);
    }
  };
  warn(run.failures);
  for (;;) {
    await f.sleep(t.intervalMs);
    opened = await openSources(f, { ...opts, since: lastMs });
    run = runMerge(opened.streams, { ...opts, since: lastMs }, keep);
    const fresh: Timed[] = [];
    try {
      for await (const batch of run.batches) {
        for (const e of batch) {
          if (e.ms === lastMs && seenAtLast.has(JSON.stringify(e.event))) continue;
          fresh.push(e);
        }
      }
    } finally {
      await opened.close();
    }
    warn(run.failures);
    if (fresh.length === 0) continue;
    await writeTimeline(f, format, one(fresh), { header: false });
    const newLast = fresh[fresh.length - 1]!.ms;
    if (newLast !== lastMs) seenAtLast = new Set();
    lastMs = newLast;
    for (const e of fresh) if (e.ms === lastMs) seenAtLast.add(JSON.stringify(e.event));
  }
}

async function* one<T>(batch: T[]): AsyncGenerator<T[]> {
  if (batch.length > 0) yield batch;
}
