// Node-level resources: /api/overview, /api/whoami, /api/aliveness-test/{vhost} and the
// /api/health/checks/* the real 3.10.8 answers with {"status":"ok"} on a healthy node.
import type { RequestContext, Router } from '../kit/router.js';
import { NODE, type Api } from './api.js';
import { json, notFound, refused } from './replies.js';
import { findPermission, lookup } from './state.js';

/** The version whose behaviour this emulator reproduces (checked by the conformance suite). */
export const RABBITMQ_VERSION = '3.10.8';
const ERLANG_VERSION = '25.2.3';
/** Each vhost starts with the 7 built-in exchanges (the default one and the amq.* ones). */
const EXCHANGES_PER_VHOST = 7;

export function registerNode(router: Router, api: Api): void {
  const { store } = api;

  router.get('/api/overview', api.route('management', (ctx) => json(ctx, 200, overview(ctx, Object.keys(store.state.vhosts).length))));

  router.get('/api/whoami', api.route('management', (ctx, caller) => json(ctx, 200, { name: caller.name, tags: caller.tags })));

  router.get('/api/aliveness-test/:vhost', api.route('management', (ctx, caller) => {
    const vhost = ctx.params.vhost!;
    if (!lookup(store.state.vhosts, vhost)) return notFound(ctx);
    // Even an administrator needs permissions on the vhost: the test publishes and consumes there.
    if (!findPermission(store.state, vhost, caller.name)) return refused(ctx, 'User not authorised to access virtual host');
    json(ctx, 200, { status: 'ok' });
  }));

  for (const check of ['alarms', 'local-alarms', 'virtual-hosts']) {
    router.get(`/api/health/checks/${check}`, api.route('management', (ctx) => json(ctx, 200, { status: 'ok' })));
  }
}

function overview(ctx: RequestContext, vhostCount: number): Record<string, unknown> {
  const ip = ctx.req.socket.localAddress ?? '127.0.0.1';
  const port = ctx.req.socket.localPort ?? 0;
  return {
    management_version: RABBITMQ_VERSION,
    rates_mode: 'basic',
    sample_retention_policies: { global: [600, 3600, 28800, 86400], basic: [600, 3600], detailed: [600] },
    exchange_types: ['direct', 'fanout', 'headers', 'topic'].map((name) => ({
      name, description: `AMQP ${name} exchange, as per the AMQP specification`, enabled: true,
    })),
    product_version: RABBITMQ_VERSION,
    product_name: 'RabbitMQ',
    rabbitmq_version: RABBITMQ_VERSION,
    cluster_name: NODE,
    erlang_version: ERLANG_VERSION,
    erlang_full_version: `Erlang/OTP 25 [erts-13.1.5] [source] [64-bit]`,
    release_series_support_status: 'supported',
    disable_stats: false,
    enable_queue_totals: false,
    message_stats: {},
    queue_totals: {},
    object_totals: { channels: 0, connections: 0, consumers: 0, exchanges: EXCHANGES_PER_VHOST * vhostCount, queues: 0 },
    statistics_db_event_queue: 0,
    node: NODE,
    // Only the management listener exists here: the sandbox speaks no AMQP.
    listeners: [{ node: NODE, protocol: 'http', ip_address: ip, port, socket_opts: { port } }],
    contexts: [{ ssl_opts: [], node: NODE, description: 'RabbitMQ Management', path: '/', ip, port: String(port) }],
  };
}
