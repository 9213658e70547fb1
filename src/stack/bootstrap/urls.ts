// The URLs cdm uses to reach a compose stack's services from the host: the published loopback
// ports from the env file (an operator or a test may point them elsewhere by editing that file).
import type { StackKind } from '../layout.js';

export interface StackUrls {
  keycloak: string;
  stepca: string;
  rabbitmq?: string;
  hawkbit?: string;
  thingsboard?: string;
  bridge: string;
  grafana: string;
}

export function stackUrls(kind: StackKind, env: Map<string, string>): StackUrls {
  const bind = env.get('BIND_ADDRESS') ?? '127.0.0.1';
  const host = bind === '0.0.0.0' || bind === '' ? '127.0.0.1' : bind;
  const at = (scheme: string, port: string): string => `${scheme}://${host}:${env.get(port) ?? ''}`;
  const urls: StackUrls = {
    keycloak: env.get('KC_PUBLIC_URL') ?? `${at('http', 'KC_PORT')}/auth`,
    stepca: at('https', 'STEP_CA_PORT'),
    bridge: at('http', 'BRIDGE_PORT'),
    grafana: at('http', 'GRAFANA_PORT'),
  };
  if (kind === 'provider') urls.rabbitmq = at('http', 'RABBITMQ_MGMT_PORT');
  else { urls.hawkbit = at('http', 'HAWKBIT_PORT'); urls.thingsboard = at('http', 'TB_PORT'); }
  return urls;
}
