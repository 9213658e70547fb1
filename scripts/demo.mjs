// `npm run demo`: an operator's day on the embedded sandbox, with the commands that exist today.
// Everything lives under .cdm-demo/ (config, credentials, sandbox state), so your own contexts are
// never touched. Each step prints the command it runs, then its output.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const home = join(root, '.cdm-demo');
const stateDir = join(home, 'sandbox');
rmSync(home, { recursive: true, force: true });
mkdirSync(home, { recursive: true });
// Tables as on a terminal (CDM_FORCE_TTY), but never a prompt or a spinner (CI).
const env = { ...process.env, CDM_CONFIG_DIR: join(home, 'config'), CDM_STATE_DIR: join(home, 'state'), NO_COLOR: '1', CDM_FORCE_TTY: '1', CI: '1' };
const portBase = process.env.DEMO_PORT_BASE ?? '18700';

function step(title, args, opts = {}) {
  process.stdout.write(`\n── ${title}\n$ cdm ${args.join(' ')}${opts.stdinFrom ? ` < ${opts.stdinFrom}` : ''}\n`);
  const res = spawnSync(process.execPath, [join(root, 'bin/cdm.js'), ...args], {
    env, encoding: 'utf8', input: opts.stdinFrom ? readFileSync(opts.stdinFrom) : undefined,
  });
  const show = opts.filter ? opts.filter(res.stdout) : res.stdout;
  process.stdout.write(show + res.stderr);
  const expected = opts.expect ?? 0;
  if (res.status !== expected) {
    process.stdout.write(`\ndemo failed: exit ${res.status}, expected ${expected}\n`);
    spawnSync(process.execPath, [join(root, 'bin/cdm.js'), 'stack', 'down', '--state-dir', stateDir], { env });
    process.exit(1);
  }
  return res;
}

step('Bring up the sandbox: provider stack + tenant acme, every service emulated on loopback', ['stack', 'up', '--detach', '--state-dir', stateDir, '--port-base', portBase]);
step('Is everything answering?', ['stack', 'status', '--state-dir', stateDir]);
step('The contexts stack up wrote', ['context', 'list', '-o', 'wide']);
step('Log in as the provider operator (direct grant; the password comes from a 0600 file, never argv)',
  ['auth', 'login', '--context', 'local-provider', '--username', 'operator', '--password-stdin'], { stdinFrom: join(stateDir, 'provider', 'operator.password') });
step('Who am I, with which roles?', ['auth', 'status', '--context', 'local-provider']);
step('The tenant context logs in by itself with its stored CI client (client credentials)',
  ['auth', 'token', '--context', 'local-acme', '-o', 'json'], { filter: (out) => out.replace(/"accessToken": "([^"]{16})[^"]*"/, '"accessToken": "$1…"') });
step('Mutations are safe: a severe action needs its id typed or --confirm; --yes is not enough', ['stack', 'reset', '--state-dir', stateDir, '--yes'], { expect: 2 });
step('Bad input exits 2 and sends nothing', ['stack', 'up', '--port-base', '80'], { expect: 2 });
step('What the sandbox saw', ['stack', 'logs', '--state-dir', stateDir, '-n', '6']);
step('Stop the sandbox (its state stays in .cdm-demo/)', ['stack', 'down', '--state-dir', stateDir]);
process.stdout.write('\nDemo finished. Tenant onboarding, device enrollment, canary rollouts and certificate revocation join this demo as those command groups land (see README, "Command groups").\n');
