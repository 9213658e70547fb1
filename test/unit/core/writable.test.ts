// unwritableReason: where cdm may write, decided before any request.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unwritableReason } from '../../../src/core/writable.js';
import { tempDir } from '../../helpers/temp.js';

describe('unwritableReason', () => {
  it('accepts an existing directory, and with mayCreate a missing one under it', () => {
    const dir = tempDir('cdm-writable-');
    expect(unwritableReason(dir, false)).toBeUndefined();
    expect(unwritableReason(join(dir, 'a', 'b'), true)).toBeUndefined();
  });

  it('names a missing directory, and the file in the way', () => {
    const dir = tempDir('cdm-writable-');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'file.txt'), 'x');
    expect(unwritableReason(join(dir, 'nope'), false)).toBe(`directory ${join(dir, 'nope')} does not exist`);
    expect(unwritableReason(join(dir, 'sub', 'file.txt', 'x', 'y'), true)).toBe(`${join(dir, 'sub', 'file.txt')} is not a directory`);
    expect(unwritableReason(join(dir, 'sub', 'file.txt'), false)).toBe(`${join(dir, 'sub', 'file.txt')} is not a directory`);
  });
});
