// The installed package's root (where package.json and dist/ are), found from this module's
// location so it works from the bundle (dist/chunks/…) and from sources under test alike.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'cdm') return (cached = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the cdm package root');
    dir = parent;
  }
}
