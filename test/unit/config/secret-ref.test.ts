import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSecret, validateSecretRef } from '../../../src/config/secret-ref.js';
import { UsageError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/temp.js';

describe('secret references', () => {
  it('resolves env:, file: and cmd:, and passes plain values through', async () => {
    const dir = tempDir('cdm-ref-');
    writeFileSync(join(dir, 's'), 'from-file\n');
    expect(await resolveSecret('env:MY_SECRET', { MY_SECRET: 'from-env' })).toBe('from-env');
    expect(await resolveSecret(`file:${join(dir, 's')}`, {})).toBe('from-file');
    expect(await resolveSecret('cmd:printf from-cmd', { PATH: process.env.PATH })).toBe('from-cmd');
    expect(await resolveSecret('plain-value', {})).toBe('plain-value');
  });

  it('fails clearly, without echoing a command that may hold secrets', async () => {
    await expect(resolveSecret('env:UNSET_VAR', {})).rejects.toThrow(/env:UNSET_VAR is not set/);
    await expect(resolveSecret('file:/nonexistent/x', {})).rejects.toThrow(UsageError);
    const err = await resolveSecret('cmd:exit 3 # token=abc', { PATH: process.env.PATH }).catch((e: Error) => e);
    expect(String(err)).not.toContain('abc');
  });

  it('validates references given on the command line', () => {
    expect(validateSecretRef('env:A_B')).toBe('env:A_B');
    // Stored absolute: the reference is read later from any directory.
    expect(validateSecretRef('file:secrets/pw.txt')).toBe(`file:${join(process.cwd(), 'secrets', 'pw.txt')}`);
    expect(validateSecretRef('file:/run/pw')).toBe('file:/run/pw');
    expect(() => validateSecretRef('env:1bad')).toThrow(UsageError);
    expect(() => validateSecretRef('vault:x')).toThrow(/env:VAR, file:PATH or cmd:COMMAND/);
  });
});
