#!/usr/bin/env node
// A stand-in for the `docker` executable (no engine exists on our machines). It appends each
// call's argv as one JSON line to $FAKE_DOCKER_LOG and answers from the JSON script in
// $FAKE_DOCKER_SCRIPT:
//   { "compose": "2.29.7" | false, "daemon": true | false,
//     "ps": { "<project>": [ <ps output 1>, <ps output 2>, … ] },   (played in order, last repeats)
//     "exec": { "<project>": { "<service>": "<file whose content is printed>" } },
//     "logs": "<text>" }
// The position in each ps sequence is kept in $FAKE_DOCKER_LOG.state.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const log = process.env.FAKE_DOCKER_LOG;
const script = JSON.parse(readFileSync(process.env.FAKE_DOCKER_SCRIPT, 'utf8'));
appendFileSync(log, `${JSON.stringify(argv)}\n`);

const fail = (msg, code = 1) => { process.stderr.write(`${msg}\n`); process.exit(code); };

if (argv[0] === 'version') {
  if (script.daemon === false) fail('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?');
  process.stdout.write('27.3.1\n');
  process.exit(0);
}
if (argv[0] !== 'compose') fail(`fake docker: unexpected command ${argv.join(' ')}`);
if (script.compose === false) fail("docker: 'compose' is not a docker command.\nSee 'docker --help'", 125);

const rest = argv.slice(1);
if (rest[0] === 'version') { process.stdout.write(`${script.compose ?? '2.29.7'}\n`); process.exit(0); }

// Global compose options come first: --project-name P --project-directory D -f F --env-file E.
const opts = {};
let i = 0;
while (i < rest.length && rest[i].startsWith('-')) { opts[rest[i]] = rest[i + 1]; i += 2; }
const project = opts['--project-name'];
const [cmd, ...args] = rest.slice(i);
if (opts['--env-file'] && !existsSync(opts['--env-file'])) fail(`couldn't find env file: ${opts['--env-file']}`, 14);

switch (cmd) {
  case 'up':
  case 'down':
    process.exit(0);
    break;
  case 'ps': {
    const seq = script.ps?.[project] ?? [[]];
    const stateFile = `${log}.state`;
    const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
    const n = state[project] ?? 0;
    state[project] = n + 1;
    writeFileSync(stateFile, JSON.stringify(state));
    const entry = seq[Math.min(n, seq.length - 1)];
    // Compose ≥ 2.21 prints one JSON object per line.
    process.stdout.write(entry.map((e) => JSON.stringify(e)).join('\n') + '\n');
    process.exit(0);
    break;
  }
  case 'exec': {
    const service = args.find((a) => !a.startsWith('-'));
    const file = script.exec?.[project]?.[service];
    if (!file) fail(`service "${service}" is not running`);
    process.stdout.write(readFileSync(file, 'utf8'));
    process.exit(0);
    break;
  }
  case 'logs':
    process.stdout.write(script.logs ?? '');
    process.exit(0);
    break;
  default:
    fail(`fake docker: unexpected compose command ${cmd}`);
}
