// The stacks' env files. `.env.example` (shipped) documents every variable; its comment tags say
// how cdm fills it at the first `up`: [generated] → a random secret, [port] → the default port
// shifted by the tenant's slot. The real file is written 0600 and never loses a value: anything
// already in it (an operator's override, a secret from the first run) is kept as it is.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../config/atomic.js';
import { CdmError } from '../core/errors.js';
import { composeDir, type StackKind } from './layout.js';

export interface ExampleVar {
  name: string;
  default: string;
  doc: string;
  generated: boolean;
  port: boolean;
  cdmOnly: boolean;
}

/** Variables of a `.env.example`, each with the comment lines right above it. */
export function parseExample(text: string): ExampleVar[] {
  const vars: ExampleVar[] = [];
  let doc: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) {
      const d = doc.join(' ');
      vars.push({ name: m[1]!, default: m[2]!, doc: d, generated: d.includes('[generated]'), port: d.includes('[port]'), cdmOnly: d.includes('[cdm]') });
      doc = [];
    } else if (line.startsWith('#')) {
      doc.push(line.replace(/^#\s?/, ''));
    } else {
      doc = [];
    }
  }
  return vars;
}

export function readExample(kind: StackKind): ExampleVar[] {
  return parseExample(readFileSync(join(composeDir(kind), '.env.example'), 'utf8'));
}

/** KEY=value lines; values are written unquoted (compose reads the rest of the line verbatim). */
export function parseEnv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

export function readEnvFile(file: string): Map<string, string> | undefined {
  try {
    const mode = statSync(file).mode & 0o777;
    // The file holds every secret of the stack: refuse to use one others can read.
    if ((mode & 0o077) !== 0) throw new CdmError(`${file} is readable by others (mode ${mode.toString(8)})`, { hint: `chmod 600 ${file}` });
    return parseEnv(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

const secret = (): string => randomBytes(24).toString('base64url');

export interface EnsureEnvOptions {
  kind: StackKind;
  /** Values cdm decides (TENANT_ID); they win over defaults but not over the file. */
  fixed?: Record<string, string>;
  /** Added to every [port] default (tenant slot). */
  portShift?: number;
}

/** Fills in what the env file lacks and writes it 0600; returns the complete values and what was added. */
export function ensureEnvFile(file: string, opts: EnsureEnvOptions): { values: Map<string, string>; added: string[] } {
  const values = readEnvFile(file) ?? new Map<string, string>();
  const added: string[] = [];
  for (const v of readExample(opts.kind)) {
    if (values.has(v.name)) continue;
    let value = opts.fixed?.[v.name] ?? (v.generated ? secret() : v.port ? String(Number(v.default) + (opts.portShift ?? 0)) : v.default);
    // The public Keycloak URL follows the (possibly shifted) port unless set explicitly.
    if (v.name === 'KC_PUBLIC_URL' && opts.fixed?.[v.name] === undefined) value = `http://127.0.0.1:${values.get('KC_PORT') ?? ''}/auth`;
    values.set(v.name, value);
    added.push(v.name);
  }
  if (added.length > 0) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const body = [...values].map(([k, v]) => `${k}=${v}`).join('\n');
    writeFileAtomic(file, `# Written by cdm stack up; holds this stack's secrets. Keep it 0600, never commit it.\n${body}\n`, 0o600);
    chmodSync(file, 0o600);
  }
  return { values, added };
}
