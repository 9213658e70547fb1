// Provider RabbitMQ: the vhost MQTT telemetry lands in (rabbitmq.conf names it as the MQTT
// default), with the administrator's permissions on it.
import type { HttpClient } from '../../http/types.js';
import { RabbitMqClient } from '../../services/rabbitmq/client.js';
import type { Record_ } from './report.js';

export const METRICS_VHOST = 'cdm-metrics';

export async function bootstrapRabbitMq(http: HttpClient, url: string, env: Map<string, string>, record: Record_): Promise<void> {
  const user = env.get('RABBITMQ_ADMIN_USER') ?? 'admin';
  const mq = new RabbitMqClient(http, url, user, env.get('RABBITMQ_ADMIN_PASSWORD') ?? '');
  await mq.overview();
  record('rabbitmq', `vhost ${METRICS_VHOST}`, await mq.ensureVhost(METRICS_VHOST, 'CDM device and host metrics (MQTT default vhost)'));
  record('rabbitmq', `permissions ${user}@${METRICS_VHOST}`, await mq.ensurePermissions(METRICS_VHOST, user, { configure: '.*', write: '.*', read: '.*' }));
}
