// The error for a context without a service's URL. ThingsBoard and hawkBit run only in a tenant's
// stack, so a provider context never has them: there the fix is another context, not a new URL.
import { UsageError } from '../core/errors.js';

/** The hint for a command that needs a tenant context and was given a provider one. */
export const TENANT_CONTEXT_HINT = 'pass --context <tenant context> (`cdm context list` shows them)';

export function missingServiceUrl(ctx: { name: string; type: string }, service: 'ThingsBoard' | 'hawkBit', flag: string): UsageError {
  if (ctx.type === 'provider') {
    return new UsageError(`context "${ctx.name}" is a provider context; ${service} runs in each tenant's stack`, { hint: TENANT_CONTEXT_HINT });
  }
  return new UsageError(`context "${ctx.name}" has no ${service} URL`, { hint: `add one: cdm context add ${ctx.name} --overwrite … ${flag} <url>` });
}
