// Writes the merged timeline. ndjson and csv are written by a buffered writer (64 KiB chunks,
// waiting for 'drain'), so a million events cost a few hundred writes instead of a million
// promises; json/yaml/table/wide go through the house Output (json streamed in its envelope).
import type { Factory } from '../../core/factory.js';
import type { View } from '../../core/output.js';
import { csvHeader, csvRow, type AuditEvent, type Timed } from './event.js';

export const AUDIT_FORMATS = ['ndjson', 'csv', 'table', 'wide', 'json', 'yaml'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export const AUDIT_VIEW: View<AuditEvent> = [
  { header: 'TIME', value: (e) => e.time },
  { header: 'SOURCE', value: (e) => e.source },
  { header: 'TENANT', value: (e) => e.tenant ?? '' },
  { header: 'ACTOR', value: (e) => e.actor },
  { header: 'ACTION', value: (e) => e.action },
  { header: 'TARGET', value: (e) => e.target },
  { header: 'OUTCOME', value: (e) => e.outcome },
  { header: 'DETAILS', value: (e) => e.details, wide: true },
];

/** --format wins, then -o/CDM_OUTPUT/the context default, else ndjson (an export is data). */
export function auditFormat(f: Factory, flag: string | undefined): AuditFormat {
  return (flag ?? f.settings.output ?? 'ndjson') as AuditFormat;
}

class ChunkWriter {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly out: NodeJS.WritableStream) {}
  async push(s: string): Promise<void> {
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= 65536) await this.flush();
  }
  flush(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    const text = this.buf.join('');
    this.buf = [];
    this.size = 0;
    return new Promise((resolve) => {
      if (this.out.write(text)) resolve();
      else this.out.once('drain', () => resolve());
    });
  }
}

/** Writes every batch; returns how many events were written. */
export async function writeTimeline(f: Factory, format: AuditFormat, batches: AsyncIterable<Timed[]>, opts: { header?: boolean } = {}): Promise<number> {
  let count = 0;
  if (format === 'ndjson' || format === 'csv') {
    const w = new ChunkWriter(f.io.stdout);
    if (format === 'csv' && opts.header !== false) await w.push(csvHeader());
    for await (const batch of batches) {
      let text = '';
      for (const t of batch) text += format === 'csv' ? csvRow(t.event) : `${JSON.stringify(t.event)}\n`;
      count += batch.length;
      await w.push(text);
    }
    await w.flush();
    return count;
  }
  async function* events(): AsyncGenerator<AuditEvent> {
    for await (const batch of batches) {
      for (const t of batch) {
        count++;
        yield t.event;
      }
    }
  }
  await f.output(format).stream('AuditEvent', events(), AUDIT_VIEW);
  return count;
}
