// `npm run demo`: an operator's day on the embedded sandbox: stack up, onboard a tenant, enroll a
// simulated fleet and a CSV of gateways, morning review, canary rollout through its gate, a bad release refused and its
// alarms triaged, isolate a device (revoking its certificate), and the merged audit trail.
// Everything lives under .cdm-demo/ (config, credentials, sandbox state), so your own contexts are
// never touched. Each step prints the command it runs, then its output.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const T = ['--context', 'local-acme'];
step('Bring up the sandbox: provider stack + tenant acme, every service emulated on loopback', ['stack', 'up', '--detach', '--state-dir', stateDir, '--port-base', portBase]);
step('Is everything answering?', ['stack', 'status', '--state-dir', stateDir]);
step('Log in as the provider operator (direct grant; the password comes from a 0600 file, never argv)',
  ['auth', 'login', '--context', 'local-provider', '--username', 'operator', '--password-stdin'], { stdinFrom: join(stateDir, 'provider', 'operator.password') });
step('Onboard the tenant: join key, Sub-CA and MQTT-bridge certificates, RabbitMQ vhost, Keycloak federation',
  ['tenant', 'onboard', 'acme', '--provider-context', 'local-provider', '--tenant-context', 'local-acme']);
step('The provider sees the tenant in every service', ['tenant', 'show', 'acme', '--context', 'local-provider']);
step('Enroll a fleet: 20 simulated devices (keys made on the device, certificates from the tenant Sub-CA)',
  ['stack', 'simulate', '--tenant', 'acme', '--devices', '20', '--poll', '1s', '--cpu-hot', '0.1', '--state-dir', stateDir, '-q']);
const gateways = join(home, 'gateways.csv');
writeFileSync(gateways, `${['id,name,type', ...[1, 2, 3, 4, 5].map((i) => `gw-000${i},Gateway hall ${i},gateway`)].join('\n')}\n`);
step('Enroll 5 gateways in bulk from a CSV: keys made here, one NDJSON result per device (a re-run skips them)',
  ['device', 'enroll', '--from-file', gateways, '--out', join(home, 'devices'), '--concurrency', '4', ...T]);
await pause(2500); // one poll cycle: telemetry reaches ThingsBoard
step('The fleet, merged from ThingsBoard, hawkBit and the bridge', ['device', 'list', ...T]);
step('Morning review: devices above 80 % CPU or offline (the new gateways are not installed yet), worst first', ['device', 'health', '--cpu-above', '80', ...T]);
const bundle = join(home, 'cdm-os-2.0.0.raucb');
writeFileSync(bundle, randomBytes(256 * 1024));
step('Upload a RAUC bundle (sha256 checked against hawkBit)', ['rollout', 'upload', bundle, '--name', 'cdm-os', '--version', '2.0.0', ...T]);
step('Canary rollout: 10 % first, paused until an operator expands it',
  ['rollout', 'canary', 'os-2.0.0', '--ds', 'cdm-os:2.0.0', '--target', 'controllerId==sim-acme-*', '--percent', '10', '--then', '90', ...T]);
step('Wait for the canary: --watch returns 8 when the rollout is held after the canary', ['rollout', 'status', 'os-2.0.0', '--watch', '--interval', '1s', ...T], { expect: 8 });
step('Expand through the gate (failures, success share, stability, alarms); reaching 100 % is severe',
  ['rollout', 'expand', 'os-2.0.0', '--min-stable', '0s', '--confirm', 'os-2.0.0', ...T]);
step('Watch it finish (exit 0)', ['rollout', 'status', 'os-2.0.0', '--watch', '--interval', '1s', ...T]);
step('A bad release: the devices now fail every update', ['stack', 'simulate', '--tenant', 'acme', '--stop', '--state-dir', stateDir, '-q'], { filter: () => '' });
step('', ['stack', 'simulate', '--tenant', 'acme', '--devices', '20', '--poll', '1s', '--fail-rate', '1', '--state-dir', stateDir, '-q'], { filter: () => '' });
writeFileSync(join(home, 'cdm-os-2.1.0.raucb'), randomBytes(256 * 1024));
step('', ['rollout', 'upload', join(home, 'cdm-os-2.1.0.raucb'), '--name', 'cdm-os', '--version', '2.1.0', '-q', ...T], { filter: () => '' });
step('Its canary fails: --watch returns 7 (paused on errors)', ['rollout', 'canary', 'os-2.1.0', '--ds', 'cdm-os:2.1.0', '--target', 'controllerId==sim-acme-*', '--percent', '10', '--then', '90', '-q', ...T], { filter: () => '' });
step('', ['rollout', 'status', 'os-2.1.0', '--watch', '--interval', '1s', ...T], { expect: 7 });
step('The gate refuses to expand it (exit 5), naming the failed conditions', ['rollout', 'expand', 'os-2.1.0', '--min-stable', '0s', ...T], { expect: 5 });
step('Triage: the alarms the failed updates raised in ThingsBoard, newest first', ['device', 'alarms', ...T]);
const alarmIds = JSON.parse(spawnSync(process.execPath, [join(root, 'bin/cdm.js'), 'device', 'alarms', '-o', 'json', ...T], { env, encoding: 'utf8' }).stdout)
  .items.map((a) => a.id);
if (alarmIds.length > 0) step('Acknowledge them (the alarm ids from the list above)', ['device', 'ack', ...alarmIds, ...T]);
step('Incident: isolate a device without confirming — refused, nothing done', ['device', 'isolate', 'sim-acme-0007', '--reason', 'reported stolen', '--yes', ...T], { expect: 2 });
step('Isolate it: revoke its certificate, remove its WireGuard peer, delete it from ThingsBoard and hawkBit',
  ['device', 'isolate', 'sim-acme-0007', '--reason', 'reported stolen', '--confirm', 'sim-acme-0007', ...T]);
step('Bad input exits 2 and sends nothing', ['cert', 'revoke', 'not-a-serial', '--reason', 'keyCompromise', ...T], { expect: 2 });
step('The audit trail of the last minutes (its last 12 entries): cdm, the bridge, step-ca and more, merged in time order',
  ['audit', 'export', '--since', '15m', '--source', 'cdm,bridge,step-ca', '-o', 'table', ...T], { filter: (out) => out.trimEnd().split('\n').slice(-12).join('\n') + '\n' });
step('Stop the devices and the sandbox (its state stays in .cdm-demo/)', ['stack', 'simulate', '--tenant', 'acme', '--stop', '--state-dir', stateDir, '-q']);
step('', ['stack', 'down', '--state-dir', stateDir]);

function pause(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
process.stdout.write('\nDemo finished: stack up, tenant onboarded, fleet enrolled, canary rollout expanded and finished, a device isolated (its certificate revoked), all in the audit trail.\n');
