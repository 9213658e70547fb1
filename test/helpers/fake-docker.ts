// Puts test/helpers/fake-docker.mjs first on PATH as `docker` for a test's environment, with a
// script of answers, and reads back the argv of every call it received.
import { chmodSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp.js';

export interface PsEntry { Service: string; State: string; Health: string; ExitCode: number; Name?: string }

export interface FakeDockerScript {
  compose?: string | false;
  daemon?: boolean;
  ps?: Record<string, PsEntry[][]>;
  exec?: Record<string, Record<string, string>>;
  logs?: string;
}

export interface FakeDocker {
  /** Environment entries to merge into the CLI's env (PATH first, log and script paths). */
  env: Record<string, string>;
  calls(): string[][];
  setScript(script: FakeDockerScript): void;
}

export function installFakeDocker(script: FakeDockerScript, basePath = process.env.PATH ?? ''): FakeDocker {
  const dir = tempDir('cdm-fake-docker-');
  const bin = join(dir, 'docker');
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${join(import.meta.dirname, 'fake-docker.mjs')}" "$@"\n`);
  chmodSync(bin, 0o755);
  const scriptFile = join(dir, 'script.json');
  const log = join(dir, 'calls.ndjson');
  const setScript = (s: FakeDockerScript): void => writeFileSync(scriptFile, JSON.stringify(s));
  setScript(script);
  return {
    env: { PATH: `${dir}:${basePath}`, FAKE_DOCKER_LOG: log, FAKE_DOCKER_SCRIPT: scriptFile },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) : []),
    setScript,
  };
}

/** One ps answer: every service in `states` (`healthy`, `starting`, `unhealthy`, `exited:0`…). */
export function psEntries(states: Record<string, string>): PsEntry[] {
  return Object.entries(states).map(([Service, s]) => {
    if (s.startsWith('exited:')) return { Service, State: 'exited', Health: '', ExitCode: Number(s.slice(7)) };
    return { Service, State: 'running', Health: s, ExitCode: 0 };
  });
}
