// Startup benchmark: wall time of cdm invocations against bare `node -e 0`, measured in the same
// run with interleaved rounds (so machine load affects all alike). Prints medians and ratios.
// Budget (architecture.md): --version and --help ≤ 1.3 × node -e 0.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/cdm.js');
if (!existsSync(join(root, 'dist/help/_root.txt'))) {
  console.error('build first: npm run build');
  process.exit(1);
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const env = { ...process.env, CDM_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'cdm-bench-')), CI: '1' };

const deviceHelp = existsSync(join(root, 'dist/help/device.txt')) ? ['device', '--help'] : undefined;
const cases = [
  { name: 'node -e 0', args: ['-e', '0'], budget: undefined },
  { name: 'cdm --version', args: [bin, '--version'], budget: 1.3 },
  { name: 'cdm --help', args: [bin, '--help'], budget: 1.3 },
  ...(deviceHelp ? [{ name: 'cdm device --help', args: [bin, ...deviceHelp], budget: 1.3 }] : []),
  { name: 'cdm context add --help', args: [bin, 'context', 'add', '--help'], budget: 1.3 },
  { name: 'cdm version (full CLI)', args: [bin, 'version'], budget: undefined },
  { name: 'cdm context list (full CLI + config)', args: [bin, 'context', 'list'], budget: undefined },
];

const samples = cases.map(() => []);
for (let r = 0; r < rounds + 3; r++) {
  cases.forEach((c, i) => {
    const t0 = process.hrtime.bigint();
    const res = spawnSync(process.execPath, c.args, { env, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (res.status !== 0) throw new Error(`${c.name} exited ${res.status}`);
    if (r >= 3) samples[i].push(ms); // the first rounds warm the page cache
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const base = median(samples[0]);
let failed = false;
console.log(`startup, ${rounds} interleaved rounds, node ${process.version}`);
cases.forEach((c, i) => {
  const m = median(samples[i]);
  const ratio = m / base;
  const verdict = c.budget === undefined ? '' : ratio <= c.budget ? `  ok (≤ ${c.budget}×)` : `  OVER BUDGET (> ${c.budget}×)`;
  if (c.budget !== undefined && ratio > c.budget) failed = true;
  console.log(`${c.name.padEnd(40)} ${m.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}×${verdict}`);
});
rmSync(env.CDM_CONFIG_DIR, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
