// The definitions the CDM provider stack's RabbitMQ loads at every boot (provider-stack/rabbitmq/
// definitions.json.tpl, cdm-platform.md "Broker facts"): the `cdm-metrics` vhost that
// rabbitmq.conf names as the MQTT default, the administrator's rights on it, and the two
// certificate-login users that publish metrics into it (empty hash: no password login).
import type { Definitions } from '../rabbitmq/state.js';

const NONE = '';
const ALL = '.*';

export function providerDefinitions(adminUser: string): Definitions {
  return {
    vhosts: [{ name: 'cdm-metrics', description: 'CDM device and host metrics (MQTT default vhost)' }],
    users: [
      { name: 'system-monitor', password_hash: '', tags: [] },
      { name: 'telegraf', password_hash: '', tags: [] },
    ],
    permissions: [
      { user: adminUser, vhost: 'cdm-metrics', configure: ALL, write: ALL, read: ALL },
      { user: 'system-monitor', vhost: 'cdm-metrics', configure: NONE, write: ALL, read: NONE },
      { user: 'telegraf', vhost: 'cdm-metrics', configure: ALL, write: ALL, read: ALL },
    ],
  };
}
