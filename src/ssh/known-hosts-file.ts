// The known_hosts file of one context: `<configDir>/known_hosts/<context>`. Separate per context
// because two tenants may hand out the same WireGuard IPs (10.8.0.x) to different devices.
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseKnownHosts, type KnownHostEntry } from './known-hosts.js';

/** Used when no context is configured (only possible with --host): no context name starts with `_`. */
export const NO_CONTEXT = '_none';

export function knownHostsPath(configDir: string, context: string | undefined): string {
  return join(configDir, 'known_hosts', context ?? NO_CONTEXT);
}

export class KnownHostsFile {
  constructor(readonly path: string) {}

  /** Read fresh each time: another cdm (or an operator with an editor) may have changed it. */
  entries(): KnownHostEntry[] {
    try {
      return parseKnownHosts(readFileSync(this.path, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** Appends one line (O_APPEND: concurrent writers never interleave a line). */
  append(line: string): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    // A hand-edited file may lack its final newline: never glue our line onto the last one.
    const current = existsSync(this.path) ? readFileSync(this.path, 'utf8') : '';
    const sep = current === '' || current.endsWith('\n') ? '' : '\n';
    appendFileSync(this.path, `${sep}${line}\n`, { mode: 0o600 });
    chmodSync(this.path, 0o600);
  }
}
