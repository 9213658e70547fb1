// `cdm help <topic>`: texts generated from the same tables the code uses.
import { ENV_VARS } from '../config/env.js';
import { ExitCode } from '../core/errors.js';
import { OUTPUT_FORMATS } from '../config/settings.js';

const EXIT_MEANINGS: Record<keyof typeof ExitCode, string> = {
  ok: 'success',
  failure: 'failure (backend error, unexpected error)',
  usage: 'usage or bad input (nothing was sent to any server)',
  notFound: 'not found',
  auth: 'authentication or authorisation failed / login required',
  conflict: 'conflict or precondition refused (e.g. a rollout gate not met)',
  partial: 'partial failure of a bulk operation (the per-item report says which)',
  threshold: 'rollout threshold breached / rollout paused on errors (from --watch)',
  pending: 'timed out or still pending (--timeout, --wait)',
  interrupted: 'interrupted (Ctrl-C); the journal allows a resume',
};

export function exitCodeRows(): Array<{ code: number; meaning: string }> {
  return (Object.keys(ExitCode) as Array<keyof typeof ExitCode>).map((k) => ({ code: ExitCode[k], meaning: EXIT_MEANINGS[k] }));
}

export const TOPICS: Record<string, () => string> = {
  environment: () => {
    const width = Math.max(...ENV_VARS.map((v) => v.name.length));
    const lines = ENV_VARS.map((v) => `  ${v.name.padEnd(width)}  ${v.description}${v.flag ? ` (same as ${v.flag})` : ''}`);
    return `Environment variables\n\nPrecedence: flag > environment > context default > built-in default.\n\n${lines.join('\n')}\n`;
  },
  'exit-codes': () => `Exit codes\n\n${exitCodeRows().map((r) => `  ${String(r.code).padStart(3)}  ${r.meaning}`).join('\n')}\n\nWith -o json, errors are printed on stderr as {"apiVersion":"cdm/v1","kind":"Error","error":{code,message,service?,status?,hint?}}.\n`,
  output: () => `Output formats (-o, --output, CDM_OUTPUT): ${OUTPUT_FORMATS.join(', ')}

  table   default on a terminal; when stdout is piped, rows become tab-separated,
          without header and without truncation (for cut, awk, sort)
  wide    table with more columns
  json    one document {"apiVersion":"cdm/v1","kind":"<Kind>",...}; lists are
          {"apiVersion","kind":"<Kind>List","items":[...],"next"?}
  yaml    the same document in YAML
  ndjson  one JSON object per line, streamed as pages arrive (flat memory)

stdout carries data only. Progress, prompts, warnings and errors go to stderr.
Field names are camelCase and stable: new fields may appear, none is renamed.
Spinners and progress bars appear only when stderr is a terminal, and never with
--quiet or CI=true.
`,
  contexts: () => `Contexts

A context names one stack: its kind (provider or tenant), the tenant id, the
endpoint of each service (Keycloak URL + realm, step-ca URL + root fingerprint +
provisioner, hawkBit, ThingsBoard, bridge, RabbitMQ management, SSH jump host),
a CA bundle and a production flag.

  cdm context add <name> --kind provider|tenant [--tenant <id>] --keycloak-url …
  cdm context list | show [name] | use <name> | current
  cdm context rename <old> <new> | remove <name>
  cdm context export [names…] > file.yaml ; cdm context import file.yaml

Which context a command uses: --context > CDM_CONTEXT > the current context.
\`cdm stack up\` writes local-provider and local-<tenant> for the sandbox.

Files: $CDM_CONFIG_DIR (default $XDG_CONFIG_HOME/cdm, i.e. ~/.config/cdm):
  config.json        contexts and the current one
  credentials.json   secrets and tokens, mode 0600 (refused if readable by others)

Secrets are read from stdin (\`cdm auth set-credential hawkbit --username admin\`
then type or pipe the password), or stored as references resolved when needed:
env:VAR, file:PATH, cmd:COMMAND (\`--ref cmd:"pass show cdm/hawkbit"\`).
They never appear in argv, output or logs.
`,
};
