#!/usr/bin/env node
// Tiny entry. `--version` and `[command…] --help` answer from package.json and the help texts
// pre-rendered at build time, without loading the CLI; everything else loads the bundle.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const fast = fastAnswer(argv);
if (fast !== undefined) {
  process.stdout.write(fast);
} else {
  let cli;
  try {
    cli = await import('../dist/cdm.js');
  } catch (err) {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cdm.js')) {
      process.stderr.write('error: cdm is not built; run `npm run build` (or `npm ci`, which builds it)\n');
      process.exit(1);
    }
    throw err;
  }
  await cli.run(argv);
}

function fastAnswer(args) {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    return `${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`;
  }
  const last = args[args.length - 1];
  if (last !== '--help' && last !== '-h') return undefined;
  const words = args.slice(0, -1);
  if (words.some((w) => w.startsWith('-'))) return undefined; // other options: let the full CLI parse them
  try {
    const texts = JSON.parse(readFileSync(new URL('../dist/help.json', import.meta.url), 'utf8'));
    return texts[words.join(' ')];
  } catch {
    return undefined;
  }
}
