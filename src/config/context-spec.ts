// What a context is (commands.md §5): one stack's endpoints, its kind and tenant, trust settings.
// Credentials are never part of it; they live in the credential store.

export const CONTEXT_KINDS = ['provider', 'tenant'] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

export interface ContextSpec {
  type: ContextKind;
  tenant?: string;
  /** Refuses --insecure and marks the context in listings. */
  production?: boolean;
  caFile?: string;
  /** mTLS client certificate for this stack's services (PEM files; the key file should be 0600). */
  clientCert?: { certFile: string; keyFile: string };
  keycloak?: { url: string; realm: string; clientId?: string };
  stepca?: { url: string; fingerprint?: string; provisioner?: string };
  hawkbit?: { url: string };
  thingsboard?: { url: string };
  bridge?: { url: string };
  rabbitmq?: { url: string };
  ssh?: { jump?: string };
  /** Per-context defaults for global options (flag > env > context > default). */
  defaults?: { output?: string; timeout?: string; rateLimit?: number };
  /** Set by `cdm stack up` for contexts it manages. */
  sandbox?: { stateDir: string };
}

export interface NamedContext extends ContextSpec {
  name: string;
}

export const SERVICE_NAMES = ['keycloak', 'stepca', 'hawkbit', 'thingsboard', 'bridge', 'rabbitmq'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function serviceUrl(ctx: ContextSpec, service: ServiceName): string | undefined {
  return ctx[service]?.url;
}
