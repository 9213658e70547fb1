// The error for a context without a service's URL. ThingsBoard and hawkBit run only in a tenant's
// stack, so a provider context never has them: there the fix is another context, not a new URL.
import { UsageError } from '../core/errors.js';

export function missingServiceUrl(ctx: { name: string; type: string }, service: 'ThingsBoard' | 'hawkBit', flag: string): UsageError {
  if (ctx.type === 'provider') {
    return new UsageError(`context "${ctx.name}" is a provider context; ${service} runs in each tenant's stack`, { hint: 'pass --context <tenant context> (`cdm context list` shows them)' });
  }
  return new UsageError(`context "${ctx.name}" has no ${service} URL`, { hint: `add one: cdm context add ${ctx.name} --overwrite … ${flag} <url>` });
}
