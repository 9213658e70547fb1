// The hawkBit APIs a rollout workflow uses, built once per command from the active context.
import type { Factory } from '../../core/factory.js';
import type { HawkbitClient } from '../../services/hawkbit/client.js';
import { hawkbitClient } from '../../services/hawkbit/connect.js';
import { RolloutApi } from '../../services/hawkbit/rollouts.js';
import { SoftwareApi } from '../../services/hawkbit/software.js';

export interface Hawkbit {
  client: HawkbitClient;
  software: SoftwareApi;
  rollouts: RolloutApi;
}

export async function connectHawkbit(f: Factory): Promise<Hawkbit> {
  const client = await hawkbitClient(f);
  return { client, software: new SoftwareApi(client), rollouts: new RolloutApi(client) };
}
