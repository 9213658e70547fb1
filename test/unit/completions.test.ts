// The committed completion scripts must match what the registry generates, and be valid shell.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../commands/index.js';
import { completionScript } from '../../src/completion/index.js';
import { tempDir } from '../helpers/temp.js';

const FILES = { bash: 'cdm.bash', zsh: '_cdm', fish: 'cdm.fish' } as const;
const dir = join(import.meta.dirname, '../../completions');

function hasShell(shell: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
}

describe('completions', () => {
  it.each(Object.entries(FILES))('completions/%s is up to date (run `npm run completions`)', (shell, file) => {
    expect(readFileSync(join(dir, file), 'utf8')).toBe(completionScript(shell as keyof typeof FILES, REGISTRY));
  });

  it('bash completes groups, verbs, flags and flag values', () => {
    const tmp = tempDir('cdm-compl-');
    const script = join(tmp, 'probe.sh');
    writeFileSync(script, `source "${join(dir, FILES.bash)}"
probe() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _cdm; echo "\${COMPREPLY[*]}"; }
probe cdm cont
probe cdm context re
probe cdm --context x context add n --kind ""
probe cdm -o ""
probe cdm completion ""
`);
    const lines = execFileSync('bash', [script], { encoding: 'utf8' }).trim().split('\n');
    expect(lines).toEqual(['context', 'rename remove', 'provider tenant', 'table wide json yaml ndjson', 'bash zsh fish']);
  });

  it.each(['zsh', 'fish'])('%s script parses', (shell) => {
    // CI installs zsh and fish (.ci/run); a machine without them cannot check this.
    if (!hasShell(shell)) {
      if (process.env.CI) throw new Error(`${shell} is not installed; .ci/run installs it`);
      return;
    }
    const res = spawnSync(shell, ['-n', join(dir, FILES[shell as 'zsh' | 'fish'])], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});
