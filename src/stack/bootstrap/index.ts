// The bootstrap of one stack after its containers are healthy, through cdm's own API clients:
// Keycloak everywhere, step-ca provisioners checked, RabbitMQ on the provider, hawkBit and
// ThingsBoard on tenants. Every step reads before it writes, so a second run changes nothing.
import type { HttpClient } from '../../http/types.js';
import type { StackRef } from '../layout.js';
import { stackName } from '../layout.js';
import { bootstrapHawkbit } from './hawkbit.js';
import { bootstrapKeycloak } from './keycloak.js';
import { bootstrapRabbitMq } from './rabbitmq.js';
import { recorder, type BootstrapAction } from './report.js';
import { checkProvisioners } from './stepca.js';
import { bootstrapThingsboard } from './thingsboard.js';
import type { StackUrls } from './urls.js';

export interface BootstrapDeps {
  /** Plain client for Keycloak, RabbitMQ, hawkBit, ThingsBoard. */
  http: HttpClient;
  /** Client that trusts this stack's CA root (step-ca). */
  stepcaHttp: HttpClient;
}

export async function bootstrapStack(s: StackRef, env: Map<string, string>, urls: StackUrls, deps: BootstrapDeps): Promise<BootstrapAction[]> {
  const actions: BootstrapAction[] = [];
  const record = recorder(stackName(s), actions);
  await bootstrapKeycloak(deps.http, urls.keycloak, s.kind, s.tenant, env, record);
  const provisioners = s.kind === 'provider'
    ? [env.get('STEP_CA_PROVISIONER_NAME') ?? 'iot-bridge', env.get('STEP_CA_SUB_CA_PROVISIONER') ?? 'tenant-sub-ca-signer']
    : [env.get('STEP_CA_PROVISIONER_NAME') ?? 'iot-bridge'];
  await checkProvisioners(deps.stepcaHttp, urls.stepca, provisioners, record);
  if (s.kind === 'provider') {
    await bootstrapRabbitMq(deps.http, urls.rabbitmq!, env, record);
  } else {
    await bootstrapHawkbit(deps.http, urls.hawkbit!, env, record);
    await bootstrapThingsboard(deps.http, urls.thingsboard!, env, record);
  }
  return actions;
}
