// Tenant ThingsBoard: replace the default sysadmin password, make the tenant and its
// administrator, and create the device profile `cdm-x509` (the name the docs use) as that
// administrator, with X.509 certificate-chain provisioning left to `cdm tenant join`.
import type { HttpClient } from '../../http/types.js';
import { ThingsboardBootstrap } from '../../services/thingsboard/bootstrap.js';
import type { Record_ } from './report.js';

export const DEVICE_PROFILE = 'cdm-x509';

export function deviceProfile(): { name: string; [key: string]: unknown } {
  return {
    name: DEVICE_PROFILE,
    description: 'CDM devices authenticating with X.509 certificates from the tenant CA',
    type: 'DEFAULT',
    transportType: 'MQTT',
    provisionType: 'DISABLED',
    profileData: {
      configuration: { type: 'DEFAULT' },
      transportConfiguration: { type: 'MQTT', deviceTelemetryTopic: 'v1/devices/me/telemetry', deviceAttributesTopic: 'v1/devices/me/attributes' },
      provisionConfiguration: { type: 'DISABLED' },
      alarms: [],
    },
  };
}

export async function bootstrapThingsboard(http: HttpClient, url: string, env: Map<string, string>, record: Record_): Promise<void> {
  const v = (k: string): string => env.get(k) ?? '';
  const tb = new ThingsboardBootstrap(http, url);
  const admin = v('TB_TENANT_ADMIN_EMAIL');
  // Once the tenant administrator can log in, the sysadmin steps (password, tenant, user) are done:
  // a re-run goes straight to the tenant's own objects and sends no sysadmin request.
  if (await tb.tryLogin(admin, v('TB_TENANT_ADMIN_PASSWORD'))) {
    record('thingsboard', `tenant admin ${admin}`, 'present');
  } else {
    record('thingsboard', `sysadmin password ${v('TB_SYSADMIN_EMAIL')}`, await tb.ensureSysadminPassword(v('TB_SYSADMIN_EMAIL'), v('TB_SYSADMIN_PASSWORD')));
    const title = v('TENANT_DISPLAY_NAME') || v('TENANT_ID');
    const { outcome, tenant } = await tb.ensureTenant(title);
    record('thingsboard', `tenant ${title}`, outcome);
    record('thingsboard', `tenant admin ${admin}`, await tb.ensureTenantAdmin(tenant, admin, v('TB_TENANT_ADMIN_PASSWORD')));
    await tb.login(admin, v('TB_TENANT_ADMIN_PASSWORD'));
  }
  record('thingsboard', `device profile ${DEVICE_PROFILE}`, await tb.ensureDeviceProfile(deviceProfile()));
}
