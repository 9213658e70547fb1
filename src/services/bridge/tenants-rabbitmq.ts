// The RabbitMQ half of what the provider bridge provisions for a tenant (vhost `<id>`, user
// `<id>-mqtt-bridge`, reference §2.2): deleting it at offboarding, through the management API
// with the provider context's RabbitMQ credential. The shared RabbitMqClient has no deletes (the
// bootstrap never removes anything); these two calls live here rather than widen it. A 404 is
// "already gone", so a resumed offboarding repeats nothing.
import { UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import type { HttpClient } from '../../http/types.js';
import { resolveSecret } from '../../config/secret-ref.js';
import { rabbitError } from '../rabbitmq/errors.js';

export interface RabbitDeleter {
  deleteUser(name: string): Promise<boolean>;
  deleteVhost(name: string): Promise<boolean>;
}

export async function rabbitDeleter(f: Factory): Promise<RabbitDeleter> {
  const ctx = await f.context();
  if (!ctx.rabbitmq?.url) throw new UsageError(`context "${ctx.name}" has no RabbitMQ URL`, { hint: `cdm context add ${ctx.name} --overwrite … --rabbitmq-url <url>` });
  const cred = (await f.credentials()).service(ctx.name, 'rabbitmq');
  if (!cred?.username) throw new UsageError(`context "${ctx.name}" has no RabbitMQ credential`, { hint: `printf %s "$PW" | cdm auth set-credential rabbitmq --username <admin> --context ${ctx.name}` });
  const http: HttpClient = await f.http();
  const base = `${ctx.rabbitmq.url.replace(/\/+$/, '').replace(/\/api$/, '')}/api`;
  const auth = `Basic ${Buffer.from(`${cred.username}:${await resolveSecret(cred.secret, f.io.env)}`).toString('base64')}`;
  const del = async (path: string, what: string): Promise<boolean> => {
    const res = await http.request({ service: 'rabbitmq', method: 'DELETE', url: `${base}${path}`, headers: { authorization: auth } });
    if (res.status === 404) return false;
    if (res.status !== 204 && res.status !== 200) throw rabbitError(res, what);
    return true;
  };
  return {
    deleteUser: (name) => del(`/users/${encodeURIComponent(name)}`, `delete user ${name}`),
    deleteVhost: (name) => del(`/vhosts/${encodeURIComponent(name)}`, `delete vhost ${name}`),
  };
}
