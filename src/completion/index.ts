import type { RegistryEntry } from '../core/command-spec.js';
import { bashCompletion } from './bash.js';
import { fishCompletion } from './fish.js';
import { zshCompletion } from './zsh.js';

export function completionScript(shell: 'bash' | 'zsh' | 'fish', registry: readonly RegistryEntry[]): string {
  return shell === 'bash' ? bashCompletion(registry) : shell === 'zsh' ? zshCompletion(registry) : fishCompletion(registry);
}
