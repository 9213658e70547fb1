// Temporary directories of a test file, removed after its last test (test/setup/temp-cleanup.ts):
// a full run made ~2,500 of them, and thousands of leftover files slowed file creation (and the
// benches) on small disks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
