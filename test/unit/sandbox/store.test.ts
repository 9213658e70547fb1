import { appendFileSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JsonStore } from '../../../src/sandbox/kit/store.js';
import { tempDir } from '../../helpers/temp.js';

interface S { items: Record<string, { n: number; tags?: string[] }>; list: { id: string }[]; counter: number }
const initial = (): S => ({ items: {}, list: [], counter: 0 });
/** What a restart would load, read from copies so the store under test keeps its own files. */
const reopen = (file: string): S => {
  const copy = join(tempDir('cdm-store-copy-'), 'state.json');
  if (existsSync(file)) copyFileSync(file, copy);
  if (existsSync(`${file}.log`)) copyFileSync(`${file}.log`, `${copy}.log`);
  return new JsonStore<S>(copy, initial).state;
};

let dir: string;
beforeEach(() => { dir = tempDir('cdm-store-'); });
afterEach(() => { vi.useRealTimers(); });

describe('JsonStore patches', () => {
  it('logs only the touched paths, and a reopened store has every change', () => {
    const file = join(dir, 'state.json');
    const store = new JsonStore<S>(file, initial);
    const snapshot = readFileSync(file, 'utf8');
    store.patch((s, touch) => {
      s.items['a'] = { n: 1 };
      touch('items', 'a');
      s.list.push({ id: 'x' }, { id: 'y' });
      touch('list', 0);
      touch('list', 1);
      s.counter = 2;
      touch('counter');
    });
    store.patch((s, touch) => {
      s.items['a']!.tags = ['t'];
      touch('items', 'a', 'tags');
      // `__proto__` is just an id, as device ids may be.
      Object.defineProperty(s.items, '__proto__', { value: { n: 9 }, enumerable: true, writable: true, configurable: true });
      touch('items', '__proto__');
    });
    expect(readFileSync(file, 'utf8')).toBe(snapshot);
    expect(readFileSync(`${file}.log`, 'utf8').trim().split('\n')).toHaveLength(2);
    const back = reopen(file);
    expect(back).toEqual(store.state);
    expect(Object.prototype.hasOwnProperty.call(back.items, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(back.items)).toBe(Object.prototype);
  });

  it('replays deletions, shortened arrays and a replaced array', () => {
    const file = join(dir, 'state.json');
    const store = new JsonStore<S>(file, initial);
    store.patch((s, touch) => {
      for (const id of ['a', 'b', 'c']) { s.list.push({ id }); touch('list', s.list.length - 1); }
      s.items['gone'] = { n: 1 };
      touch('items', 'gone');
    });
    store.patch((s, touch) => {
      s.list.splice(0, 1);
      touch('list');
      delete s.items['gone'];
      touch('items', 'gone');
    });
    store.patch((s, touch) => {
      s.list.pop();
      touch('list', 1);
    });
    expect(reopen(file)).toEqual({ items: {}, list: [{ id: 'b' }], counter: 0 });
  });

  it('a path under another touched path is written once, with its final value', () => {
    const file = join(dir, 'state.json');
    const store = new JsonStore<S>(file, initial);
    store.patch((s, touch) => {
      s.items['a'] = { n: 1 };
      touch('items', 'a', 'n');
      touch('items', 'a');
      s.items['a'].n = 5;
      touch('items', 'a', 'n');
    });
    const [line] = readFileSync(`${file}.log`, 'utf8').trim().split('\n');
    expect(JSON.parse(line!).ops).toEqual([[['items', 'a'], { n: 5 }]]);
  });

  it('drops a torn last line (a crash mid-append): that change was never acknowledged', () => {
    const file = join(dir, 'state.json');
    const store = new JsonStore<S>(file, initial);
    store.patch((s, touch) => { s.counter = 1; touch('counter'); });
    appendFileSync(`${file}.log`, '{"seq":99,"ops":[[["counter"],');
    expect(reopen(file).counter).toBe(1);
  });

  it('skips log lines a snapshot already holds (a crash between snapshot and log removal)', () => {
    const file = join(dir, 'state.json');
    writeFileSync(file, JSON.stringify({ cdmStore: 2, seq: 5, state: { items: {}, list: [], counter: 10 } }));
    writeFileSync(`${file}.log`, [
      JSON.stringify({ seq: 4, ops: [[['counter'], 4]] }),
      JSON.stringify({ seq: 5, ops: [[['counter'], 5]] }),
      JSON.stringify({ seq: 6, ops: [[['items', 'new'], { n: 6 }]] }),
    ].join('\n'));
    const state = reopen(file);
    expect(state.counter).toBe(10);
    expect(state.items['new']).toEqual({ n: 6 });
  });

  it('reads a snapshot written before the log existed (the plain state document)', () => {
    const file = join(dir, 'state.json');
    writeFileSync(file, JSON.stringify({ items: { a: { n: 3 } }, list: [], counter: 7 }));
    expect(reopen(file)).toEqual({ items: { a: { n: 3 } }, list: [], counter: 7 });
  });

  it('folds the log into a snapshot once the log outgrows it', () => {
    const file = join(dir, 'state.json');
    const store = new JsonStore<S>(file, initial, { compactBytes: 2_000 });
    for (let i = 0; i < 100; i++) store.patch((s, touch) => { s.items[`k${i}`] = { n: i }; touch('items', `k${i}`); });
    const snap = JSON.parse(readFileSync(file, 'utf8'));
    expect(snap.cdmStore).toBe(2);
    expect(Object.keys(snap.state.items).length).toBeGreaterThan(50);
    const logLines = existsSync(`${file}.log`) ? readFileSync(`${file}.log`, 'utf8').trim().split('\n').filter(Boolean).length : 0;
    expect(logLines).toBeLessThan(100);
    expect(Object.keys(reopen(file).items)).toHaveLength(100);
  });

  it('update writes a snapshot and drops the log', () => {
    const file = join(dir, 'state.json');
    const store = new JsonStore<S>(file, initial);
    store.patch((s, touch) => { s.counter = 1; touch('counter'); });
    store.update((s) => { s.items['z'] = { n: 26 }; });
    expect(existsSync(`${file}.log`)).toBe(false);
    expect(reopen(file)).toEqual({ items: { z: { n: 26 } }, list: [], counter: 1 });
  });

  it('patchDeferred is written within a second, or with the next commit', () => {
    vi.useFakeTimers();
    const file = join(dir, 'state.json');
    const store = new JsonStore<S>(file, initial);
    store.patchDeferred((s, touch) => { s.counter = 3; touch('counter'); });
    expect(reopen(file).counter).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(reopen(file).counter).toBe(3);
    store.patchDeferred((s, touch) => { s.items['d'] = { n: 1 }; touch('items', 'd'); });
    store.patch((s, touch) => { s.counter = 4; touch('counter'); });
    expect(reopen(file)).toMatchObject({ counter: 4, items: { d: { n: 1 } } });
  });
});

describe('JsonStore check mode (CDM_SANDBOX_STORE_CHECK=1, on in the test suite)', () => {
  const prev = process.env['CDM_SANDBOX_STORE_CHECK'];
  beforeEach(() => { process.env['CDM_SANDBOX_STORE_CHECK'] = '1'; });
  afterEach(() => { if (prev === undefined) delete process.env['CDM_SANDBOX_STORE_CHECK']; else process.env['CDM_SANDBOX_STORE_CHECK'] = prev; });

  it('refuses a patch that changed a path it did not touch, naming the path', () => {
    const store = new JsonStore<S>(undefined, initial);
    expect(() => store.patch((s, touch) => { s.counter = 1; s.items['a'] = { n: 1 }; touch('counter'); })).toThrow(/changed at items\.a without touching/);
  });

  it('catches a change made outside the store, at the next patch', () => {
    const store = new JsonStore<S>(join(dir, 'state.json'), initial);
    store.state.list.push({ id: 'sneaky' });
    expect(() => store.patch((s, touch) => { s.counter = 1; touch('counter'); })).toThrow(/list\.length/);
  });

  it('accepts patches that touch what they change', () => {
    const store = new JsonStore<S>(join(dir, 'state.json'), initial);
    expect(() => store.patch((s, touch) => { s.list.push({ id: 'a' }); touch('list', 0); s.counter++; touch('counter'); })).not.toThrow();
  });
});
