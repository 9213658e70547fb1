#!/usr/bin/env node
// Tiny entry. `--version` and `[command…] --help` answer from package.json and the help texts
// pre-rendered at build time (dist/help/<path>.txt), without loading the CLI; everything else
// loads the bundle.
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
  // Other options, or words that could not name a command: let the full CLI parse them.
  if (words.some((w) => !/^[a-z][a-z0-9-]*$/.test(w))) return undefined;
  try {
    return readFileSync(new URL(`../dist/help/${words.length === 0 ? '_root' : words.join('_')}.txt`, import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}
