// The shipped compose files, checked without a Docker engine: against the Compose
// Specification's JSON schema (the authority), with Debian's docker-compose 1.29 `config -q`
// (required in CI, skipped with the reason elsewhere), and against the house rules of the issue.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseExample } from '../../../src/stack/env-file.js';

const ROOT = join(import.meta.dirname, '../../..');
const KINDS = ['provider', 'tenant'] as const;

interface Service {
  image?: string;
  build?: { context: string } | string;
  restart?: unknown;
  healthcheck?: { test: unknown };
  ports?: string[];
  volumes?: string[];
}
interface ComposeDoc { services: Record<string, Service>; volumes: Record<string, unknown> }

const text = (kind: string, file: string): string => readFileSync(join(ROOT, 'stacks', kind, file), 'utf8');
const doc = (kind: string): ComposeDoc => parse(text(kind, 'compose.yaml')) as ComposeDoc;

function validator() {
  const schema = JSON.parse(readFileSync(join(ROOT, 'stacks/schema/compose-spec.json'), 'utf8')) as Record<string, unknown>;
  // The schema declares "$schema": "https://json-schema.org/draft-07/schema" (https, no "#"),
  // an id ajv does not know; it is plain draft-07, which is ajv's default dialect.
  delete schema['$schema'];
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object.
  const mod = formatsModule as unknown as { default?: (a: Ajv) => Ajv };
  const addFormats = mod.default ?? (formatsModule as unknown as (a: Ajv) => Ajv);
  addFormats(ajv);
  return ajv.compile(schema);
}

const dockerCompose = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
const haveV1 = dockerCompose.status === 0;

describe.each(KINDS)('stacks/%s/compose.yaml', (kind) => {
  const d = doc(kind);
  const example = parseExample(text(kind, '.env.example'));

  it('is valid against the Compose Specification JSON schema', () => {
    const validate = validator();
    expect(validate(d), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  // v1 only lints v3-era syntax; the files stay within it, so here it must pass too.
  it.skipIf(!haveV1 && !process.env.CI)('passes `docker-compose config -q` (Debian docker-compose 1.29; install it with apt-get install --no-install-recommends docker-compose)', () => {
    expect(haveV1, 'CI must have docker-compose (v1) installed: apt-get install -y --no-install-recommends docker-compose').toBe(true);
    const env = Object.fromEntries(example.map((v) => [v.name, v.default === '' ? 'x' : v.default]));
    const dir = join(ROOT, 'stacks', kind);
    const res = spawnSync('docker-compose', ['--project-directory', dir, '-f', join(dir, 'compose.yaml'), 'config', '-q'], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(res.status, res.stderr).toBe(0);
  });

  it('pins every image to an exact release (no latest, no floating major)', () => {
    for (const [name, s] of Object.entries(d.services)) {
      expect(s.image, name).toBeDefined();
      if (s.build) { expect(s.image, `${name}: local tag of the pinned build`).toMatch(/^cdm\/[a-z-]+:[0-9a-f]{7}$/); continue; }
      expect(s.image, name).toMatch(/:[^:]*\d+\.\d+(\.\d+)?[^:]*$/);
      expect(s.image, name).not.toMatch(/:latest$/);
    }
  });

  it('builds the iot-bridge-api from the upstream repository as a remote git context at a full commit', () => {
    const build = d.services['iot-bridge-api']!.build as { context: string };
    expect(build.context).toMatch(/^https:\/\/github\.com\/the78mole\/complete-device-management\.git#[0-9a-f]{40}:glue-services\/iot-bridge-api$/);
  });

  it('has a health check on every long-running service; one-shots say restart "no" as a string', () => {
    for (const [name, s] of Object.entries(d.services)) {
      if (s.restart === 'no') continue; // one-shot: cdm waits for exit code 0 instead
      expect(s.healthcheck?.test, `${name} has no healthcheck`).toBeDefined();
    }
    // Quoted in the file: YAML 1.1 readers (PyYAML in compose v1) would read a bare no as false.
    expect(text(kind, 'compose.yaml')).not.toMatch(/restart:\s*no\b/);
    expect(text(kind, 'compose.yaml')).toMatch(/restart:\s*"no"/);
  });

  it('publishes ports on a bind address that defaults to loopback only', () => {
    for (const [name, s] of Object.entries(d.services)) {
      for (const p of s.ports ?? []) expect(p, name).toMatch(/^\$\{(WG_)?BIND_ADDRESS:-127\.0\.0\.1\}:/);
    }
  });

  it('keeps data in named volumes, each declared', () => {
    for (const [name, s] of Object.entries(d.services)) {
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (source.startsWith('./')) { expect(existsSync(join(ROOT, 'stacks', kind, source)), `${name}: ${source}`).toBe(true); continue; }
        expect(Object.keys(d.volumes), `${name}: ${source}`).toContain(source);
      }
    }
  });

  it('documents every variable it uses in .env.example, and every generated secret starts empty', () => {
    const code = text(kind, 'compose.yaml').split('\n').filter((l) => !l.trim().startsWith('#')).join('\n');
    const used = new Set([...code.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!));
    const documented = new Map(example.map((v) => [v.name, v]));
    for (const name of used) {
      expect(documented.has(name), `${name} is not in .env.example`).toBe(true);
      expect(documented.get(name)!.doc.length, `${name} has no comment`).toBeGreaterThan(10);
    }
    for (const v of example) {
      expect(used.has(v.name) || v.cdmOnly, `${v.name} is neither used by compose nor marked [cdm]`).toBe(true);
      if (v.generated) expect(v.default, `${v.name} is generated and must ship empty`).toBe('');
    }
  });

  it('builds in upstream fixes: no RabbitMQ path prefix, Keycloak hostname required and with /auth in the default', () => {
    const all = text(kind, 'compose.yaml');
    expect(all).toMatch(/KC_HOSTNAME: \$\{KC_PUBLIC_URL:\?\}/);
    expect(example.find((v) => v.name === 'KC_PUBLIC_URL')!.default).toMatch(/\/auth$/);
    if (kind === 'provider') expect(text(kind, 'rabbitmq/20-cdm.conf')).not.toMatch(/^\s*management\.path_prefix/m);
  });
});

describe('the repository', () => {
  it('commits no env file with secrets', () => {
    const tracked = spawnSync('git', ['ls-files', 'stacks'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n');
    expect(tracked.filter((f) => /(^|\/)\.env$/.test(f))).toEqual([]);
  });
});
