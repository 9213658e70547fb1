import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LineLog } from '../../../src/sandbox/kit/line-log.js';
import { tempDir } from '../../helpers/temp.js';

describe('LineLog (the sandbox request log)', () => {
  it('writes the lines of one turn together, in order, appending to what is there; close writes the rest', async () => {
    const file = join(tempDir('cdm-linelog-'), 'sandbox.log');
    const first = new LineLog(file);
    first.write('a\n');
    first.write('b\n');
    expect(() => readFileSync(file, 'utf8')).not.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('');
    await nextTurn();
    expect(readFileSync(file, 'utf8')).toBe('a\nb\n');
    first.write('c\n');
    first.close();
    expect(readFileSync(file, 'utf8')).toBe('a\nb\nc\n');
    const second = new LineLog(file);
    second.write('d\n');
    second.close();
    expect(readFileSync(file, 'utf8')).toBe('a\nb\nc\nd\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
