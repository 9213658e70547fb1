// How a context looks in tables and documents.
import type { View } from '../../src/core/output.js';
import type { NamedContext } from '../../src/config/context-spec.js';

export interface ContextItem extends NamedContext {
  current: boolean;
}

export function contextItem(ctx: NamedContext, current: string | undefined): ContextItem {
  return { ...ctx, current: ctx.name === current };
}

export const CONTEXT_VIEW: View<ContextItem> = [
  { header: 'CURRENT', value: (c) => (c.current ? '*' : '') },
  { header: 'NAME', value: (c) => c.name },
  { header: 'KIND', value: (c) => c.type },
  { header: 'TENANT', value: (c) => c.tenant },
  { header: 'KEYCLOAK', value: (c) => (c.keycloak ? `${c.keycloak.url} (${c.keycloak.realm})` : '') },
  { header: 'PRODUCTION', value: (c) => (c.production ? 'yes' : '') },
  { header: 'STEP-CA', value: (c) => c.stepca?.url, wide: true },
  { header: 'HAWKBIT', value: (c) => c.hawkbit?.url, wide: true },
  { header: 'THINGSBOARD', value: (c) => c.thingsboard?.url, wide: true },
  { header: 'BRIDGE', value: (c) => c.bridge?.url, wide: true },
  { header: 'RABBITMQ', value: (c) => c.rabbitmq?.url, wide: true },
];
