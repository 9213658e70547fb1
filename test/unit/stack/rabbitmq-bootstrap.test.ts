// The provider RabbitMQ bootstrap of `cdm stack up --engine compose` against a node that has not
// loaded the CDM definitions (the sandbox's provider broker loads them, so the compose test only
// sees "unchanged"): the RabbitMQ emulator as a fresh node on loopback. The metrics vhost is
// created, and a second run changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/http/client.js';
import { createRabbitMqEmulator } from '../../../src/sandbox/rabbitmq/index.js';
import { startEmulatorServer, type RunningEmulator } from '../../../src/sandbox/kit/server.js';
import { bootstrapRabbitMq } from '../../../src/stack/bootstrap/rabbitmq.js';
import { recorder, type BootstrapAction } from '../../../src/stack/bootstrap/report.js';

let node: RunningEmulator;
beforeAll(async () => {
  node = await startEmulatorServer(createRabbitMqEmulator({ adminUser: 'admin', adminPassword: 'admin-pw' }), { port: 0 });
});
afterAll(async () => { await node?.close(); });

async function run(): Promise<BootstrapAction[]> {
  const http = createHttpClient({ maxRetries: 0 });
  const actions: BootstrapAction[] = [];
  try {
    await bootstrapRabbitMq(http, node.url, new Map([['RABBITMQ_ADMIN_USER', 'admin'], ['RABBITMQ_ADMIN_PASSWORD', 'admin-pw']]), recorder('provider', actions));
  } finally {
    await http.close();
  }
  return actions;
}

describe('RabbitMQ bootstrap on a node without the CDM definitions', () => {
  it('creates the metrics vhost, then finds everything unchanged', async () => {
    // RabbitMQ grants the administrator who creates a vhost full rights on it, so those are already in place.
    expect((await run()).map((a) => `${a.target}: ${a.outcome}`)).toEqual(['vhost cdm-metrics: created', 'permissions admin@cdm-metrics: unchanged']);
    expect((await run()).map((a) => a.outcome)).toEqual(['unchanged', 'unchanged']);
  });
});
