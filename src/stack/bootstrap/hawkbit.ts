// Tenant hawkBit: the software module and distribution set types CDM's RAUC updates use, and
// target-token DDI authentication (upstream enabled no DDI auth mode, so devices' polls got 401).
import type { HttpClient } from '../../http/types.js';
import { HawkbitBootstrap } from '../../services/hawkbit/bootstrap.js';
import type { Record_ } from './report.js';

export const RAUC_MODULE_TYPE = { key: 'rauc-bundle', name: 'RAUC bundle', description: 'A signed RAUC update bundle (.raucb)', maxAssignments: 1 };
export const RAUC_DS_TYPE_KEY = 'cdm-rauc';

export async function bootstrapHawkbit(http: HttpClient, url: string, env: Map<string, string>, record: Record_): Promise<void> {
  const hb = new HawkbitBootstrap(http, url, 'admin', env.get('HB_ADMIN_PASSWORD') ?? '');
  await hb.userinfo();
  const mod = await hb.ensureModuleType(RAUC_MODULE_TYPE);
  record('hawkbit', `software module type ${RAUC_MODULE_TYPE.key}`, mod.outcome);
  record('hawkbit', `distribution set type ${RAUC_DS_TYPE_KEY}`, await hb.ensureDistributionSetType({
    key: RAUC_DS_TYPE_KEY, name: 'CDM RAUC update', description: 'One RAUC bundle per distribution set', mandatorymodules: [{ id: mod.id }],
  }));
  record('hawkbit', 'config authentication.targettoken.enabled', await hb.ensureSystemConfig('authentication.targettoken.enabled', true));
}
