// The device's files in --out: exact modes whatever the umask, content ending in a newline, no
// temporary file left behind (also when a write fails), and the refusal to overwrite.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../src/core/errors.js';
import { FILES, refuseOverwrite, writeDeviceFiles } from '../../../src/workflows/device/files.js';
import { tempDir } from '../../helpers/temp.js';

let root: string;
let umask: number;
beforeEach(() => { root = tempDir('cdm-files-'); umask = process.umask(0o077); });
afterEach(() => { process.umask(umask); rmSync(root, { recursive: true, force: true }); });

const mode = (file: string): number => statSync(file).mode & 0o777;

describe('device files', () => {
  it('writes each file with its exact mode and a trailing newline, into a new 0700 directory', async () => {
    const dir = join(root, 'out', 'dev-1');
    const written = await writeDeviceFiles(dir, [
      { name: FILES.key, content: 'KEY\n', mode: 0o600 },
      { name: FILES.cert, content: 'CERT', mode: 0o644 },
      { name: FILES.ca, content: 'CA', mode: 0o644 },
      { name: FILES.wg, content: '[Interface]\n', mode: 0o600 },
    ]);
    expect(written).toEqual([FILES.key, FILES.cert, FILES.ca, FILES.wg].map((f) => join(dir, f)));
    expect(written.map(mode)).toEqual([0o600, 0o644, 0o644, 0o600]);
    expect(written.map((f) => readFileSync(f, 'utf8'))).toEqual(['KEY\n', 'CERT\n', 'CA\n', '[Interface]\n']);
    expect(mode(dir)).toBe(0o700);
    expect(readdirSync(dir).sort()).toEqual([FILES.ca, FILES.cert, FILES.key, FILES.wg].sort());
  });

  it('leaves no temporary file behind when one of the writes fails', async () => {
    const dir = join(root, 'dev-2');
    await expect(writeDeviceFiles(dir, [
      { name: FILES.key, content: 'KEY', mode: 0o600 },
      { name: join('missing', FILES.cert), content: 'CERT', mode: 0o644 },
    ])).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to overwrite a device\'s files (the key only when one is generated)', () => {
    const dir = join(root, 'dev-3');
    expect(() => refuseOverwrite(dir, true)).not.toThrow();
    writeFileSync(join(root, FILES.key), 'old');
    expect(() => refuseOverwrite(root, false)).not.toThrow();
    expect(() => refuseOverwrite(root, true)).toThrow(ConflictError);
    writeFileSync(join(root, FILES.wg), 'old');
    expect(() => refuseOverwrite(root, false)).toThrow(/wg0\.conf already exists; refusing to overwrite/);
    expect(existsSync(dir)).toBe(false);
  });
});
