// What the shipped compose file says about its services: which ones are one-shot inits (restart
// "no": ready when they exited 0) and which are long-running (ready when their health check says
// healthy). Read from the file itself so the wait never drifts from the stack.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeDir, type StackKind } from './layout.js';

export interface ComposeService {
  name: string;
  oneShot: boolean;
  image?: string;
}

export async function composeServices(kind: StackKind): Promise<ComposeService[]> {
  const { parse } = await import('yaml');
  const doc = parse(readFileSync(join(composeDir(kind), 'compose.yaml'), 'utf8')) as { services: Record<string, { restart?: unknown; image?: string }> };
  return Object.entries(doc.services).map(([name, s]) => ({ name, oneShot: s.restart === 'no', ...(s.image ? { image: s.image } : {}) }));
}
