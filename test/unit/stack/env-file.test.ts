// The env files cdm generates for the compose stacks: 0600, secrets made once and kept, every
// example variable present, tenant ports shifted, an operator's edits never overwritten.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureEnvFile, parseEnv, parseExample, readEnvFile, readExample } from '../../../src/stack/env-file.js';
import { tempDir } from '../../helpers/temp.js';

const tmp = (): string => tempDir('cdm-env-');

describe('env files', () => {
  it('reads the documentation and tags of .env.example', () => {
    const vars = parseExample('# Intro.\n\n# The port. [port]\nKC_PORT=8180\n# A secret. [generated]\nX_PASSWORD=\n');
    expect(vars).toEqual([
      { name: 'KC_PORT', default: '8180', doc: 'The port. [port]', generated: false, port: true, cdmOnly: false },
      { name: 'X_PASSWORD', default: '', doc: 'A secret. [generated]', generated: true, port: false, cdmOnly: false },
    ]);
  });

  it('writes every variable at the first up, 0600, with distinct generated secrets', () => {
    const file = join(tmp(), 'provider', '.env');
    const { values, added } = ensureEnvFile(file, { kind: 'provider' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const example = readExample('provider');
    expect(added).toEqual(example.map((v) => v.name));
    const secrets = example.filter((v) => v.generated).map((v) => values.get(v.name)!);
    expect(secrets.every((s) => /^[A-Za-z0-9_-]{32}$/.test(s))).toBe(true);
    expect(new Set(secrets).size).toBe(secrets.length);
    expect(values.get('KC_PUBLIC_URL')).toBe('http://127.0.0.1:8080/auth');
  });

  it('keeps what the file has on later runs (secrets are not regenerated, edits survive)', () => {
    const file = join(tmp(), '.env');
    const first = ensureEnvFile(file, { kind: 'provider' }).values;
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^KC_PORT=.*$/m, 'KC_PORT=18080'), { mode: 0o600 });
    const second = ensureEnvFile(file, { kind: 'provider' });
    expect(second.added).toEqual([]);
    expect(second.values.get('KC_ADMIN_PASSWORD')).toBe(first.get('KC_ADMIN_PASSWORD'));
    expect(second.values.get('KC_PORT')).toBe('18080');
  });

  it('shifts a tenant\'s [port] variables by its slot and sets its id', () => {
    const { values } = ensureEnvFile(join(tmp(), '.env'), { kind: 'tenant', portShift: 2, fixed: { TENANT_ID: 'globex' } });
    expect(values.get('TENANT_ID')).toBe('globex');
    expect(values.get('KC_PORT')).toBe('8182');
    expect(values.get('WG_PORT')).toBe('51822');
    expect(values.get('KC_PUBLIC_URL')).toBe('http://127.0.0.1:8182/auth');
    expect(values.get('KC_ADMIN_USER')).toBe('admin'); // untagged: the default as it is
  });

  it('refuses an env file that others can read', () => {
    const file = join(tmp(), '.env');
    writeFileSync(file, 'A=1\n');
    chmodSync(file, 0o644);
    expect(() => readEnvFile(file)).toThrow(/readable by others.*644/);
  });

  it('parses KEY=value lines verbatim and ignores comments', () => {
    expect([...parseEnv('# c\nA=x=y\nB=\n bad\n')]).toEqual([['A', 'x=y'], ['B', '']]);
  });
});
