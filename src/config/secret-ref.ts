// Secrets may be stored as references instead of values: `env:VAR`, `file:PATH`, `cmd:COMMAND`
// (e.g. `cmd:pass show cdm/hawkbit`). They are resolved only when a request needs them.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

export type SecretRef = `env:${string}` | `file:${string}` | `cmd:${string}`;

export function isSecretRef(value: string): value is SecretRef {
  return /^(env|file|cmd):./.test(value);
}

/**
 * The reference as it is stored: a relative file: PATH is made absolute here, since the reference
 * is resolved later from whatever directory cdm then runs in.
 */
export function validateSecretRef(value: string): SecretRef {
  if (!isSecretRef(value)) throw new UsageError(`invalid reference "${value}": use env:VAR, file:PATH or cmd:COMMAND`);
  if (value.startsWith('env:') && !/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(value)) throw new UsageError(`invalid reference "${value}": env: takes a variable name`);
  if (value.startsWith('file:')) return `file:${resolve(value.slice('file:'.length))}`;
  return value;
}

export async function resolveSecret(value: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (!isSecretRef(value)) return value;
  const [kind, ...rest] = value.split(':');
  const target = rest.join(':');
  switch (kind) {
    case 'env': {
      const v = env[target];
      if (v === undefined || v === '') throw new UsageError(`secret reference env:${target} is not set in the environment`);
      return v;
    }
    case 'file':
      try {
        return (await readFile(target, 'utf8')).replace(/\r?\n$/, '');
      } catch (err) {
        throw new UsageError(`secret reference file:${target} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    default:
      return new Promise((resolve, reject) => {
        execFile('/bin/sh', ['-c', target], { timeout: 10_000, env }, (err, stdout) => {
          if (err) reject(new UsageError(`secret reference cmd: failed (${err.code ?? err.message}); the command is not shown because it may contain secrets`));
          else resolve(stdout.replace(/\r?\n$/, ''));
        });
      });
  }
}
