#!/usr/bin/env node
// Tiny entry: `--version` answers without loading the CLI; everything else loads the bundle.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
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
