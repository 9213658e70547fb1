// Host key checking, as strict as OpenSSH's StrictHostKeyChecking=ask / accept-new:
// - a known key connects;
// - a first contact asks on a terminal (showing the SHA256 fingerprint) and is refused without
//   one unless --accept-new-host-key (exit 2 naming the flag);
// - a CHANGED or @revoked key is always refused (exit 1), naming the file and line to fix.
// Prompts and writes are serialised, so `debug exec` over many devices asks one question at a time.
import { CdmError, UsageError } from '../core/errors.js';
import type { Prompter } from '../core/prompter.js';
import { keyLabel, keyTypeOf, sha256Fingerprint } from './fingerprint.js';
import { checkHostKey, formatKnownHostsLine, hostKeyName, knownKeyTypes, type KnownHostEntry } from './known-hosts.js';
import type { KnownHostsFile } from './known-hosts-file.js';

/** Which host, and how to name it to a human ("device dev-1", "jump host ops@jump:2222"). */
export interface HostTarget {
  host: string;
  port: number;
  label: string;
  /** Written as the known_hosts comment so the file says which device a line is for. */
  comment?: string;
}

export interface HostKeyPolicyOptions {
  file: KnownHostsFile;
  acceptNew: boolean;
  prompter: Prompter;
  warn(line: string): void;
  note(line: string): void;
}

export type HostVerifier = (key: Buffer, verify: (ok: boolean) => void) => void;

/** ssh2's default order (ssh2/lib/protocol/constants.js); known types are moved to the front. */
const DEFAULT_HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

export class HostKeyPolicy {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: HostKeyPolicyOptions) {}

  get path(): string {
    return this.opts.file.path;
  }

  /**
   * Host key algorithms to offer, the recorded ones first — otherwise a server with several host
   * keys could present a type we have not recorded and look like a changed key.
   */
  algorithms(target: HostTarget): string[] {
    const known = knownKeyTypes(this.opts.file.entries(), target.host, target.port)
      .flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]))
      .filter((t) => DEFAULT_HOST_KEY_ALGORITHMS.includes(t));
    return [...new Set([...known, ...DEFAULT_HOST_KEY_ALGORITHMS])];
  }

  /** An ssh2 `hostVerifier` for one connection; `refusal()` says why it said no. */
  verifier(target: HostTarget): { verify: HostVerifier; refusal(): CdmError | undefined } {
    let refusal: CdmError | undefined;
    const verify: HostVerifier = (blob, done) => {
      this.decide(target, blob).then(
        () => done(true),
        (err: unknown) => {
          refusal = err instanceof CdmError ? err : new CdmError(`host key check of ${target.label} failed: ${(err as Error).message}`);
          done(false);
        },
      );
    };
    return { verify, refusal: () => refusal };
  }

  private async decide(target: HostTarget, blob: Buffer): Promise<void> {
    const key = blob.toString('base64');
    const first = checkHostKey(this.opts.file.entries(), target.host, target.port, key);
    if (first.status === 'known') return;
    if (first.status === 'revoked') throw this.revoked(target, blob, first.entry);
    if (first.status === 'changed') throw this.changed(target, blob, first.entries);
    // One question (and one write) at a time; re-check inside, as a parallel connection to the
    // same address may just have recorded the key.
    const turn = this.queue.then(() => this.firstContact(target, blob, key));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async firstContact(target: HostTarget, blob: Buffer, key: string): Promise<void> {
    const again = checkHostKey(this.opts.file.entries(), target.host, target.port, key);
    if (again.status === 'known') return;
    if (again.status === 'changed') throw this.changed(target, blob, again.entries);
    if (again.status === 'revoked') throw this.revoked(target, blob, again.entry);
    const type = keyTypeOf(blob);
    const name = hostKeyName(target.host, target.port);
    const fingerprint = `${keyLabel(type)} key fingerprint is ${sha256Fingerprint(blob)}`;
    if (!this.opts.acceptNew) {
      if (!this.opts.prompter.interactive) {
        throw new UsageError(`the host key of ${target.label} (${name}) is not known yet (${fingerprint}); refusing without --accept-new-host-key`, {
          hint: `compare the fingerprint with the host's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub there), then rerun with --accept-new-host-key (records it in ${this.path})`,
        });
      }
      const ok = await this.opts.prompter.confirm(
        `The authenticity of ${target.label} (${name}) can't be established.\n  ${fingerprint}.\n  Trust it and record it in ${this.path}?`,
        { flag: '--accept-new-host-key', default: false },
      );
      if (!ok) throw new CdmError(`host key of ${target.label} (${name}) not accepted: not connecting`);
    }
    this.opts.file.append(formatKnownHostsLine(target.host, target.port, type, key, target.comment));
    this.opts.note(`Recorded the ${keyLabel(type)} host key of ${target.label} (${name}, ${sha256Fingerprint(blob)}) in ${this.path}`);
  }

  private changed(target: HostTarget, blob: Buffer, entries: KnownHostEntry[]): CdmError {
    const name = hostKeyName(target.host, target.port);
    const lines = entries.map((e) => e.line);
    const where = `${this.path}:${lines.join(',')}`;
    this.opts.warn([
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      `@    WARNING: HOST KEY OF ${target.label.toUpperCase()} HAS CHANGED!`,
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      'Someone could be intercepting this connection (man-in-the-middle), or the device was reinstalled.',
      `Presented ${keyLabel(keyTypeOf(blob))} key: ${sha256Fingerprint(blob)}`,
      ...entries.map((e) => `Recorded at ${this.path} line ${e.line}: ${keyLabel(e.keyType)} ${sha256Fingerprint(Buffer.from(e.key, 'base64'))}${e.comment ? ` (${e.comment})` : ''}`),
    ].join('\n'));
    return new CdmError(`host key of ${target.label} (${name}) does not match ${where}: refusing to connect`, {
      hint: `if the change is expected (device reinstalled), delete line ${lines.join(', ')} of ${this.path} (or: ssh-keygen -R '${name}' -f ${this.path}) and connect again`,
    });
  }

  private revoked(target: HostTarget, blob: Buffer, entry: KnownHostEntry): CdmError {
    return new CdmError(`host key of ${target.label} (${hostKeyName(target.host, target.port)}, ${sha256Fingerprint(blob)}) is marked @revoked at ${this.path} line ${entry.line}: refusing to connect`);
  }
}
