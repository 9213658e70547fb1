import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from '../../../src/core/progress.js';

function make(tty: boolean, opts: { quiet?: boolean; ci?: boolean } = {}) {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c) => { err += c; });
  const p = new Progress({ stdin: new PassThrough(), stdout: new PassThrough(), stderr, env: {} }, { stdinIsTTY: tty, stdoutIsTTY: tty, stderrIsTTY: tty, ci: opts.ci ?? false, color: false }, opts.quiet ?? false);
  return { p, err: () => err };
}

describe('Progress', () => {
  it('is animated only on a terminal without --quiet or CI', () => {
    expect(make(true).p.live).toBe(true);
    expect(make(false).p.live).toBe(false);
    expect(make(true, { quiet: true }).p.live).toBe(false);
    expect(make(true, { ci: true }).p.live).toBe(false);
  });

  it('without a terminal a bar prints milestone lines (every 10 %), no control characters', () => {
    const t = make(false);
    const bar = t.p.bar('enroll', 20);
    for (let i = 0; i < 20; i++) bar.tick();
    bar.done();
    const lines = t.err().trim().split('\n');
    expect(lines[0]).toBe('enroll: 1/20');
    expect(lines.at(-1)).toBe('enroll: 20/20 done');
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(t.err()).not.toMatch(/\r|\u001b/);
  });

  it('--quiet prints nothing', async () => {
    const t = make(false, { quiet: true });
    const s = await t.p.spinner('working');
    s.succeed();
    t.p.bar('x', 3).tick();
    expect(t.err()).toBe('');
  });

  it('on a terminal the bar redraws in place with a real denominator', () => {
    const t = make(true);
    const bar = t.p.bar('upload', 4);
    bar.tick(2);
    expect(t.err()).toContain('\rupload [###############---------------] 2/4');
  });
});
