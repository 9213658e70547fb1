// Artifact binaries, content-addressed by SHA-1 like hawkBit's file-system artifact repository.
// With a state file they live in `<stateFile>.artifacts/` (written atomically before the state
// that references them is committed); without one, in memory.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../kit/atomic-file.js';

export interface BlobStore {
  put(sha1: string, data: Buffer): void;
  get(sha1: string): Buffer | undefined;
  delete(sha1: string): void;
}

export function createBlobStore(stateFile: string | undefined): BlobStore {
  if (!stateFile) {
    const mem = new Map<string, Buffer>();
    return {
      put: (sha1, data) => void mem.set(sha1, data),
      get: (sha1) => mem.get(sha1),
      delete: (sha1) => void mem.delete(sha1),
    };
  }
  const dir = `${stateFile}.artifacts`;
  const path = (sha1: string): string => join(dir, sha1);
  return {
    put: (sha1, data) => {
      if (!existsSync(path(sha1))) writeFileAtomic(path(sha1), data);
    },
    get: (sha1) => (existsSync(path(sha1)) ? readFileSync(path(sha1)) : undefined),
    delete: (sha1) => rmSync(path(sha1), { force: true }),
  };
}
