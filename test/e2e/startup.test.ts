// The startup budget depends on what is loaded: --help and --version must load none of the
// heavy modules, and light commands only what they use (built binary, spawned as a user would).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const HEAVY = ['undici', 'node-forge', 'ssh2', '@inquirer', 'inquirer', 'cli-table3', 'ora', 'yaml', '@peculiar', 'jose'];
const BIN = join(import.meta.dirname, '../../bin/cdm.js');
const REGISTER = join(import.meta.dirname, '../helpers/import-log-register.mjs');

function loadedPackages(args: string[]): { packages: string[]; status: number | null } {
  const dir = tempDir('cdm-startup-');
  const log = join(dir, 'imports.log');
  const res = spawnSync(process.execPath, ['--import', REGISTER, BIN, ...args], {
    env: { ...process.env, CDM_IMPORT_LOG: log, CDM_CONFIG_DIR: join(dir, 'config'), CI: '1' },
    encoding: 'utf8',
  });
  let urls: string[] = [];
  try { urls = readFileSync(log, 'utf8').split('\n'); } catch { urls = []; }
  const packages = new Set<string>();
  for (const url of urls) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (m) packages.add(m[1]!);
  }
  return { packages: [...packages], status: res.status };
}

function heavyIn(packages: string[]): string[] {
  return packages.filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)));
}

describe('startup', () => {
  it.each([['--help'], ['--version'], ['context', '--help'], ['auth', 'login', '--help']])('cdm %s loads no heavy module and nothing from node_modules', (...args) => {
    const { packages, status } = loadedPackages(args);
    expect(status).toBe(0);
    expect(packages).toEqual([]);
  });

  it.each([['version'], ['context', 'list'], ['help', 'exit-codes'], ['device', '--help']])('cdm %s loads none of the heavy modules', (...args) => {
    const { packages } = loadedPackages(args);
    expect(heavyIn(packages)).toEqual([]);
  });

  it('the pre-rendered help is exactly what the full CLI prints', () => {
    const fast = execFileSync(process.execPath, [BIN, 'context', 'add', '--help'], { encoding: 'utf8' });
    // `--no-color` before --help forces the full commander path.
    const full = execFileSync(process.execPath, [BIN, 'context', 'add', '--no-color', '--help'], { encoding: 'utf8' });
    expect(fast).toBe(full);
  });

  it('a closed pipe (| head) exits quietly', () => {
    const res = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${BIN}" completion bash | head -n 1`], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/^# bash completion for cdm/);
  });
});
