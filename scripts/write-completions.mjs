// Regenerates completions/cdm.{bash,zsh,fish} from the registry (a test fails when they are stale).
import { writeFileSync, mkdirSync } from 'node:fs';
const cli = await import('../dist/cdm.js');
mkdirSync(new URL('../completions', import.meta.url), { recursive: true });
for (const [shell, file] of [['bash', 'cdm.bash'], ['zsh', '_cdm'], ['fish', 'cdm.fish']]) {
  writeFileSync(new URL(`../completions/${file}`, import.meta.url), cli.completionScript(shell, cli.REGISTRY));
  console.log(`completions/${file}`);
}
