import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output, type View } from '../../../src/core/output.js';
import type { OutputFormat } from '../../../src/config/settings.js';

interface Row { name: string; count: number; note?: string }
const VIEW: View<Row> = [
  { header: 'NAME', value: (r) => r.name },
  { header: 'COUNT', value: (r) => r.count },
  { header: 'NOTE', value: (r) => r.note, wide: true },
];

function make(format: OutputFormat | undefined, tty = false) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => { out += c; });
  stderr.on('data', (c) => { err += c; });
  const policy = { stdinIsTTY: tty, stdoutIsTTY: tty, stderrIsTTY: tty, ci: false, color: false };
  const o = new Output({ stdin: new PassThrough(), stdout, stderr, env: {} }, format, policy, false);
  return { o, out: () => out, err: () => err };
}

async function* slowly(rows: Row[]) { for (const r of rows) { await new Promise((res) => setTimeout(res, 1)); yield r; } }

const ROWS: Row[] = [{ name: 'a', count: 1, note: 'x\ty' }, { name: 'b'.repeat(80), count: 2 }];

describe('Output', () => {
  it('json lists carry the cdm/v1 envelope', async () => {
    const t = make('json');
    await t.o.list('Thing', ROWS, VIEW, { next: 'tok' });
    expect(JSON.parse(t.out())).toEqual({ apiVersion: 'cdm/v1', kind: 'ThingList', items: ROWS, next: 'tok' });
  });

  it('streamed json is one valid document, also when empty', async () => {
    const t = make('json');
    await t.o.stream('Thing', slowly(ROWS), VIEW);
    expect(JSON.parse(t.out())).toEqual({ apiVersion: 'cdm/v1', kind: 'ThingList', items: ROWS });
    const e = make('json');
    await e.o.stream('Thing', slowly([]), VIEW);
    expect(JSON.parse(e.out())).toEqual({ apiVersion: 'cdm/v1', kind: 'ThingList', items: [] });
  });

  it('streamed json that fails before its first item leaves stdout empty, not half a document', async () => {
    async function* failing(): AsyncGenerator<Row> { await new Promise((res) => setTimeout(res, 1)); throw new Error('no credential'); }
    const t = make('json');
    await expect(t.o.stream('Thing', failing(), VIEW)).rejects.toThrow('no credential');
    expect(t.out()).toBe('');
  });

  it('ndjson writes each item as it arrives', async () => {
    const t = make('ndjson');
    const seen: string[] = [];
    async function* watched() {
      for (const r of ROWS) { yield r; await new Promise((res) => setTimeout(res, 1)); seen.push(t.out()); }
    }
    await t.o.stream('Thing', watched(), VIEW);
    expect(seen[0]).toBe(`${JSON.stringify(ROWS[0])}\n`);
    expect(t.out().trim().split('\n').map((l) => JSON.parse(l))).toEqual(ROWS);
  });

  it('yaml documents', async () => {
    const t = make('yaml');
    await t.o.item('Thing', ROWS[0]!);
    const { parse } = await import('yaml');
    expect(t.out()).toMatch(/^apiVersion: cdm\/v1\nkind: Thing\n/);
    expect(parse(t.out())).toEqual({ apiVersion: 'cdm/v1', kind: 'Thing', ...ROWS[0] });
  });

  it('piped table output is TSV: no header, no truncation, tabs flattened', async () => {
    const t = make(undefined, false);
    await t.o.list('Thing', ROWS, VIEW);
    expect(t.out()).toBe(`a\t1\n${'b'.repeat(80)}\t2\n`);
    const w = make('wide', false);
    await w.o.list('Thing', ROWS, VIEW);
    expect(w.out().split('\n')[0]).toBe('a\t1\tx y');
  });

  it('terminal tables have headers and truncate long cells; wide adds columns', async () => {
    const t = make('table', true);
    await t.o.list('Thing', ROWS, VIEW);
    const lines = t.out().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+COUNT$/);
    expect(lines[2]).toContain('…');
    const w = make('wide', true);
    await w.o.list('Thing', ROWS, VIEW);
    expect(w.out().split('\n')[0]).toMatch(/^NAME\s+COUNT\s+NOTE$/);
  });

  it('table heads are in capitals whatever the view spells; item views keep the spelling', async () => {
    const view: View<Row> = [{ header: 'Name', value: (r) => r.name }, { header: 'Serial (hex)', value: (r) => r.count }];
    const t = make('table', true);
    await t.o.list('Thing', [ROWS[0]!], view);
    expect(t.out().split('\n')[0]).toMatch(/^NAME\s+SERIAL \(HEX\)$/);
    const i = make('table', true);
    await i.o.item('Thing', ROWS[0]!, view);
    expect(i.out()).toBe('Name:         a\nSerial (hex): 1\n');
  });

  it('item rows marked omitEmpty are left out on a terminal while empty, kept in TSV', async () => {
    const view: View<Row> = [{ header: 'Name', value: (r) => r.name }, { header: 'Note', value: (r) => r.note, omitEmpty: true }];
    const t = make('table', true);
    await t.o.item('Thing', { name: 'a', count: 1 }, view);
    expect(t.out()).toBe('Name: a\n');
    const n = make('table', true);
    await n.o.item('Thing', { name: 'a', count: 1, note: 'careful' }, view);
    expect(n.out()).toBe('Name: a\nNote: careful\n');
    const p = make(undefined, false);
    await p.o.item('Thing', { name: 'a', count: 1 }, view);
    expect(p.out()).toBe('Name\ta\nNote\t\n');
  });

  it('an empty table says so on stderr and prints nothing on stdout', async () => {
    const t = make('table', true);
    await t.o.list('Thing', [], VIEW);
    expect(t.out()).toBe('');
    expect(t.err()).toContain('No resources found');
  });

  it('refuses items whose own fields would clobber the envelope', async () => {
    const t = make('json');
    await expect(t.o.item('Thing', { kind: 'x' })).rejects.toThrow(/kind/);
  });

  it('plans: human lines or a Plan document', async () => {
    const plan = { summary: 'do things', steps: [{ action: 'delete', target: 'x', service: 'hawkbit', details: { n: 1 } }] };
    const h = make('table', true);
    await h.o.plan(plan, { command: 'cdm x', context: 'c' });
    expect(h.out()).toContain('1. delete x [hawkbit] n=1');
    const j = make('json');
    await j.o.plan(plan, { command: 'cdm x' });
    expect(JSON.parse(j.out())).toMatchObject({ kind: 'Plan', dryRun: true, command: 'cdm x', context: null, steps: plan.steps });
  });
});
