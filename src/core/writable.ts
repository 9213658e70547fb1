// Where cdm is about to write, checked before any request: a write that fails after a server acted
// (a CA issued, a bridge enrolled) loses what it handed back, a key made here included.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Why files cannot be written in `dir`, or undefined when they can. With `mayCreate` the directory
 * may be missing (the writer creates it): the nearest existing path above it must then do.
 */
export function unwritableReason(dir: string, mayCreate: boolean): string | undefined {
  let at = resolve(dir);
  for (;;) {
    let st: ReturnType<typeof statSync>;
    try {
      // No exception for a missing path: a bulk enrollment asks once per device.
      st = statSync(at, { throwIfNoEntry: false });
    } catch (err) {
      // ENOTDIR: a file somewhere above; walking up finds and names it.
      if ((err as NodeJS.ErrnoException).code !== 'ENOTDIR') return (err as Error).message;
      st = undefined;
    }
    if (st === undefined) {
      if (!mayCreate) return `directory ${at} does not exist`;
      if (dirname(at) === at) return 'no existing directory above it';
      at = dirname(at);
      continue;
    }
    if (!st.isDirectory()) return `${at} is not a directory`;
    try {
      accessSync(at, constants.W_OK);
    } catch (err) {
      return `cannot write in ${at} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    }
    return undefined;
  }
}
