// The output layer (commands.md §3). stdout carries data only: a table on a TTY, TSV when piped,
// or a `cdm/v1` document (json/yaml), or one JSON object per line (ndjson, streamed).
// Everything for humans (notes, warnings) goes to stderr. cli-table3 and yaml load lazily.
import type { Plan } from './command-spec.js';
import type { IOStreams, TtyPolicy } from './io.js';
import type { OutputFormat } from '../config/settings.js';

export const API_VERSION = 'cdm/v1';

export interface Column<T> {
  /** Table heads are printed in capitals (as kubectl and gh print theirs); item views keep this spelling. */
  header: string;
  value: (item: T) => unknown;
  /** Only shown with `-o wide`. */
  wide?: boolean;
  /** Item views on a terminal: the row is left out while its value is empty (TSV keeps every row in place for scripts). */
  omitEmpty?: boolean;
}

export type View<T> = readonly Column<T>[];

/** Cells longer than this are shortened in TTY tables (never in TSV, json, yaml or ndjson). */
const MAX_CELL = 60;

export class Output {
  readonly format: OutputFormat;
  /** Table output goes to a pipe: tab-separated, no header, no truncation (gh). */
  readonly tsv: boolean;

  constructor(
    private readonly io: IOStreams,
    format: OutputFormat | undefined,
    private readonly tty: TtyPolicy,
    private readonly quiet: boolean,
  ) {
    this.format = format ?? 'table';
    this.tsv = (this.format === 'table' || this.format === 'wide') && !tty.stdoutIsTTY;
  }

  get machine(): boolean {
    return this.format === 'json' || this.format === 'yaml' || this.format === 'ndjson';
  }

  /** One object. `view` gives the key/value rows of the human form. */
  async item<T extends object>(kind: string, item: T, view?: View<T>): Promise<void> {
    switch (this.format) {
      case 'json': return this.write(`${JSON.stringify(document(kind, item), null, 2)}\n`);
      case 'yaml': return this.write(await toYaml(document(kind, item)));
      case 'ndjson': return this.write(`${JSON.stringify(item)}\n`);
      default: {
        const columns = visible(view ?? inferView(item), this.format === 'wide');
        const rows = columns.map((c) => [c.header, cell(c.value(item))]);
        if (this.tsv) return this.write(rows.map((r) => r.map(tsvCell).join('\t')).join('\n') + '\n');
        const shown = rows.filter((r, i) => !(columns[i]!.omitEmpty && r[1] === ''));
        const width = Math.max(...shown.map((r) => r[0]!.length));
        return this.write(shown.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v}`).join('\n') + '\n');
      }
    }
  }

  /**
   * A complete list. `next` is the continuation token when more pages exist; `empty` is what a
   * terminal table says when there is nothing to show (see stream).
   */
  async list<T extends object>(kind: string, items: readonly T[], view: View<T>, opts: { next?: string; empty?: string } = {}): Promise<void> {
    if (this.format === 'json' || this.format === 'yaml') {
      const doc: Record<string, unknown> = { apiVersion: API_VERSION, kind: `${kind}List`, items };
      if (opts.next !== undefined) doc.next = opts.next;
      return this.write(this.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : await toYaml(doc));
    }
    return this.stream(kind, iterate(items), view, opts.empty);
  }

  /**
   * A list that arrives page by page: ndjson and TSV are written as items arrive. `empty` is what a
   * terminal table says on stderr when there is nothing to show (default "No resources found.").
   */
  async stream<T extends object>(kind: string, items: AsyncIterable<T>, view: View<T>, empty?: string): Promise<void> {
    const columns = visible(view, this.format === 'wide');
    switch (this.format) {
      case 'ndjson':
        for await (const item of items) await this.write(`${JSON.stringify(item)}\n`);
        return;
      case 'json': {
        // Streamed without holding the list: the envelope is written around the items, its head
        // with the first item, so a command that fails before any item leaves stdout empty rather
        // than holding half a document.
        const head = `{\n  "apiVersion": "${API_VERSION}",\n  "kind": ${JSON.stringify(`${kind}List`)},\n  "items": [`;
        let first = true;
        for await (const item of items) {
          await this.write(`${first ? `${head}\n` : ',\n'}${indent(JSON.stringify(item, null, 2), 4)}`);
          first = false;
        }
        return this.write(first ? `${head}]\n}\n` : '\n  ]\n}\n');
      }
      case 'yaml': {
        const all: T[] = [];
        for await (const item of items) all.push(item);
        return this.write(await toYaml({ apiVersion: API_VERSION, kind: `${kind}List`, items: all }));
      }
      default:
        if (this.tsv) {
          for await (const item of items) await this.write(columns.map((c) => tsvCell(cell(c.value(item)))).join('\t') + '\n');
          return;
        }
        return this.table(columns, items, empty);
    }
  }

  /** The plan of a mutating command under `--dry-run`. */
  async plan(plan: Plan, meta: { command: string; context?: string }): Promise<void> {
    if (this.machine) {
      return this.item('Plan', { command: meta.command, context: meta.context ?? null, dryRun: true, summary: plan.summary, steps: plan.steps });
    }
    const lines = [`Dry run: ${plan.summary}${meta.context ? ` (context ${meta.context})` : ''}`];
    plan.steps.forEach((s, i) => {
      const details = s.details && Object.keys(s.details).length > 0 ? ` ${formatDetails(s.details)}` : '';
      lines.push(`  ${i + 1}. ${s.action} ${s.target}${s.service ? ` [${s.service}]` : ''}${details}`);
    });
    lines.push('Nothing was changed.');
    return this.write(lines.join('\n') + '\n');
  }

  /** Raw data (a token, a PEM, a completion script). */
  async raw(text: string): Promise<void> {
    return this.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A human note on stderr (suppressed by --quiet and in machine formats it still goes to stderr). */
  note(text: string): void {
    if (!this.quiet) this.io.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`${this.tty.color ? `\u001b[33m${text}\u001b[39m` : text}\n`);
  }

  private async table<T>(columns: readonly Column<T>[], items: AsyncIterable<T>, empty = 'No resources found.'): Promise<void> {
    const rows: string[][] = [];
    for await (const item of items) rows.push(columns.map((c) => truncate(cell(c.value(item)))));
    if (rows.length === 0) {
      this.note(empty);
      return;
    }
    const { default: Table } = await import('cli-table3');
    const table = new Table({
      head: columns.map((c) => c.header.toUpperCase()),
      chars: NO_BORDERS,
      style: { head: this.tty.color ? ['bold'] : [], border: [], 'padding-left': 0, 'padding-right': 3 },
    });
    table.push(...rows);
    await this.write(table.toString().split('\n').map((l) => l.trimEnd()).join('\n') + '\n');
  }

  private write(text: string): Promise<void> {
    return new Promise((resolve) => {
      if (this.io.stdout.write(text)) resolve();
      else this.io.stdout.once('drain', () => resolve());
    });
  }
}

const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
  'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
};

export function document(kind: string, item: object): Record<string, unknown> {
  // The envelope owns `apiVersion` and `kind`; an item carrying either would silently clobber it.
  if ('kind' in item || 'apiVersion' in item) throw new Error(`${kind} item must not have its own kind/apiVersion field`);
  return { apiVersion: API_VERSION, kind, ...item };
}

async function toYaml(doc: unknown): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify(doc, { lineWidth: 0 });
}

function visible<T>(view: View<T>, wide: boolean): Column<T>[] {
  return view.filter((c) => wide || !c.wide);
}

function inferView<T extends object>(item: T): View<T> {
  return Object.keys(item).map((k) => ({ header: k.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase(), value: (i: T) => (i as Record<string, unknown>)[k] }));
}

export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(cell).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function tsvCell(s: string): string {
  return s.replace(/[\t\r\n]+/g, ' ');
}

function truncate(s: string): string {
  const flat = s.replace(/[\r\n]+/g, ' ');
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.split('\n').map((l) => pad + l).join('\n');
}

function formatDetails(details: Record<string, unknown>): string {
  return Object.entries(details).map(([k, v]) => `${k}=${cell(v)}`).join(' ');
}

async function* iterate<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}
