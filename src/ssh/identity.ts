// Which key authenticates us: `--identity <file>`, else the SSH agent (SSH_AUTH_SOCK). A
// passphrase-protected file is unlocked by a prompt on a terminal; without one that is exit 2
// (the agent is the non-interactive way). Resolved before any connection, so bad input sends nothing.
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { AuthError, UsageError } from '../core/errors.js';
import type { Prompter } from '../core/prompter.js';

// ssh2 is CommonJS: its exports are reachable through the default import only.
const { utils } = ssh2;

export interface SshAuth {
  privateKey?: Buffer;
  passphrase?: string;
  /** Path of the agent socket. */
  agent?: string;
  /** For messages: "identity /home/op/.ssh/id_ed25519" or "ssh-agent". */
  source: string;
}

export interface IdentityOptions {
  identityFile?: string;
  agentSocket?: string;
  prompter: Prompter;
}

export async function resolveIdentity(opts: IdentityOptions): Promise<SshAuth> {
  if (opts.identityFile !== undefined) return fromFile(opts.identityFile, opts.prompter);
  if (opts.agentSocket) return { agent: opts.agentSocket, source: `ssh-agent (${opts.agentSocket})` };
  throw new UsageError('no SSH identity: pass --identity <private key file>, or start ssh-agent and add a key (SSH_AUTH_SOCK is not set)');
}

async function fromFile(file: string, prompter: Prompter): Promise<SshAuth> {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read identity file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const source = `identity ${file}`;
  const parsed = utils.parseKey(data);
  if (!(parsed instanceof Error)) {
    if (!hasPrivate(parsed)) throw new UsageError(`${file} is a public key: --identity takes the private key file`);
    return { privateKey: data, source };
  }
  if (!/passphrase given/i.test(parsed.message)) throw new UsageError(`${file} is not a usable private key: ${parsed.message}`);
  if (!prompter.interactive) {
    throw new UsageError(`identity ${file} is protected by a passphrase and cdm cannot prompt here`, {
      hint: `load it into ssh-agent once (\`ssh-add ${file}\`) and run without --identity`,
    });
  }
  const passphrase = await prompter.password(`Passphrase for ${file}:`, { flag: '--identity' });
  const unlocked = utils.parseKey(data, passphrase);
  if (unlocked instanceof Error) throw new AuthError(`wrong passphrase for ${file}`);
  return { privateKey: data, passphrase, source };
}

function hasPrivate(parsed: ReturnType<typeof utils.parseKey>): boolean {
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  return Boolean(key && !(key instanceof Error) && key.isPrivateKey());
}
