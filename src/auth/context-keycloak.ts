// The Keycloak settings of a context, or a usage error telling how to add them.
import { UsageError } from '../core/errors.js';
import type { NamedContext } from '../config/context-spec.js';

export const DEFAULT_CLI_CLIENT = 'cdm-cli';

export function contextKeycloak(ctx: NamedContext): { url: string; realm: string; clientId: string } {
  if (!ctx.keycloak?.url) {
    throw new UsageError(`context "${ctx.name}" has no Keycloak URL`, { hint: `cdm context add ${ctx.name} --overwrite --kind ${ctx.type} --keycloak-url <url> …` });
  }
  return { url: ctx.keycloak.url, realm: ctx.keycloak.realm, clientId: ctx.keycloak.clientId ?? DEFAULT_CLI_CLIENT };
}
