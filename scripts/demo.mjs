// `npm run demo`: an operator's day on the embedded sandbox, with the commands that exist today:
// stack up, login, enroll a simulated fleet, issue and revoke a certificate.
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
  process.stdout.write(`${title ? `\n── ${title}\n` : ''}$ cdm ${args.join(' ')}${opts.stdinFrom ? ` < ${opts.stdinFrom}` : ''}\n`);
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
step('The contexts stack up wrote', ['context', 'list']);
step('Log in as the provider operator (direct grant; the password comes from a 0600 file, never argv)',
  ['auth', 'login', '--context', 'local-provider', '--username', 'operator', '--password-stdin'], { stdinFrom: join(stateDir, 'provider', 'operator.password') });
step('Who am I, with which roles?', ['auth', 'status', '--context', 'local-provider']);
step('Enroll a fleet: 20 simulated devices of tenant acme (keys made on the device, certificates from the tenant step-ca)',
  ['stack', 'simulate', '--tenant', 'acme', '--devices', '20', '--poll', '5s', '--cpu-hot', '0.1', '--state-dir', stateDir]);
await enrolledEverywhere();
const gwKey = join(home, 'gateway.key');
const issued = step('Issue a service certificate on the tenant CA (key generated locally, mode 0600)',
  ['cert', 'issue', 'gateway.acme.example.com', '--key-out', gwKey, '--out', join(home, 'gateway.crt'), '--context', 'local-acme', '-o', 'json'],
  { filter: (out) => { const c = JSON.parse(out); return `serial ${c.serial}, ${c.subject}, valid until ${c.notAfter}\n`; } });
const serial = JSON.parse(issued.stdout).serial;
step('Inspect it offline', ['cert', 'inspect', join(home, 'gateway.crt')]);
step('Mutations are safe: revoking is severe, --yes is not enough', ['cert', 'revoke', serial, '--reason', 'keyCompromise', '--yes', '--context', 'local-acme'], { expect: 2 });
step('Revoke it, confirming the serial', ['cert', 'revoke', serial, '--reason', 'keyCompromise', '--confirm', serial, '--context', 'local-acme']);
step('Revoking twice is a conflict (exit 5)', ['cert', 'revoke', serial, '--reason', 'keyCompromise', '--confirm', serial, '--context', 'local-acme'], { expect: 5 });
step('Bad input exits 2 and sends nothing', ['cert', 'revoke', 'not-a-serial', '--reason', 'keyCompromise', '--context', 'local-acme'], { expect: 2 });
step('What the sandbox saw (last requests)', ['stack', 'logs', '--state-dir', stateDir, '-n', '6']);
step('Stop the devices and the sandbox (its state stays in .cdm-demo/)', ['stack', 'simulate', '--tenant', 'acme', '--stop', '--state-dir', stateDir, '-q']);
step('', ['stack', 'down', '--state-dir', stateDir]);

/** No `cdm device list` yet: a short scripted check that the fleet is in hawkBit, ThingsBoard and the bridge. */
async function enrolledEverywhere() {
  process.stdout.write('\n── The fleet is enrolled in every service (scripted check until `cdm device list` lands)\n');
  const creds = JSON.parse(readFileSync(join(env.CDM_CONFIG_DIR, 'credentials.json'), 'utf8')).contexts['local-acme'].services;
  const ctx = JSON.parse(readFileSync(join(env.CDM_CONFIG_DIR, 'config.json'), 'utf8')).contexts['local-acme'];
  const basic = `Basic ${Buffer.from(`${creds.hawkbit.username}:${creds.hawkbit.secret}`).toString('base64')}`;
  const hb = await (await fetch(`${ctx.hawkbit.url}/rest/v1/targets?limit=1`, { headers: { authorization: basic } })).json();
  const login = await (await fetch(`${ctx.thingsboard.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: creds.thingsboard.username, password: creds.thingsboard.secret }) })).json();
  const tb = await (await fetch(`${ctx.thingsboard.url}/api/tenant/deviceInfos?pageSize=1&page=0`, { headers: { 'x-authorization': `Bearer ${login.token}` } })).json();
  const token = spawnSync(process.execPath, [join(root, 'bin/cdm.js'), 'auth', 'token', '--context', 'local-acme'], { env, encoding: 'utf8' }).stdout.trim();
  const bridge = await (await fetch(`${ctx.bridge.url}/devices?limit=1`, { headers: { authorization: `Bearer ${token}` } })).json();
  process.stdout.write(`hawkBit targets: ${hb.total}   ThingsBoard devices: ${tb.totalElements}   bridge devices (WireGuard peers): ${bridge.total}\n`);
  if (hb.total !== 20 || tb.totalElements !== 20 || bridge.total !== 20) {
    process.stdout.write('demo failed: the fleet is not enrolled everywhere\n');
    spawnSync(process.execPath, [join(root, 'bin/cdm.js'), 'stack', 'down', '--state-dir', stateDir], { env });
    process.exit(1);
  }
}
process.stdout.write('\nDemo finished. Tenant onboarding (cdm tenant), the device views (cdm device) and canary rollouts (cdm rollout) join this demo as those command groups land (see README, "Command groups").\n');
