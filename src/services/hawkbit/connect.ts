// Builds a HawkbitClient for the active context: its `hawkbit.url` and the `hawkbit` service
// credential (`cdm auth set-credential hawkbit`), whose secret may be an env:/file:/cmd: reference
// resolved only now. Missing pieces are exit 2 before any request is sent.
import { UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { missingServiceUrl } from '../../config/missing-url.js';
import { resolveSecret } from '../../config/secret-ref.js';
import { HawkbitClient } from './client.js';

export async function hawkbitClient(f: Factory): Promise<HawkbitClient> {
  const ctx = await f.context();
  if (!ctx.hawkbit?.url) {
    throw missingServiceUrl(ctx, 'hawkBit', '--hawkbit-url');
  }
  const cred = (await f.credentials()).service(ctx.name, 'hawkbit');
  if (!cred?.username) {
    throw new UsageError(`context "${ctx.name}" has no hawkBit credential`, { hint: `printf %s "$PASSWORD" | cdm auth set-credential hawkbit --username <user> --context ${ctx.name}` });
  }
  const password = await resolveSecret(cred.secret, f.io.env);
  return new HawkbitClient(await f.http(), ctx.hawkbit.url, cred.username, password);
}
