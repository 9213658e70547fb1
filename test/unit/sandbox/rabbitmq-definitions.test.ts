// The RabbitMQ emulator's `load_definitions`: imported at every start, as the real node does at
// every boot — declared objects are created or overwritten, everything else is left alone.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRabbitMqEmulator } from '../../../src/sandbox/rabbitmq/index.js';
import { applyDefinitions, seedState } from '../../../src/sandbox/rabbitmq/state.js';
import { providerDefinitions } from '../../../src/sandbox/stack/rabbitmq-definitions.js';
import { JsonStore } from '../../../src/sandbox/kit/store.js';
import type { RabbitState } from '../../../src/sandbox/rabbitmq/state.js';

describe('RabbitMQ definitions', () => {
  it('adds the CDM vhost, users and permissions to a fresh node and keeps what the node already had', () => {
    const s = seedState('admin', 'pw');
    applyDefinitions(s, providerDefinitions('admin'));
    expect(Object.keys(s.vhosts).sort()).toEqual(['/', 'cdm-metrics']);
    expect(s.users['system-monitor']).toEqual({ password_hash: '', tags: [] });
    expect(s.users['admin']!.tags).toEqual(['administrator']);
    expect(s.permissions).toContainEqual({ user: 'admin', vhost: '/', configure: '.*', write: '.*', read: '.*' });
    expect(s.permissions).toContainEqual({ user: 'system-monitor', vhost: 'cdm-metrics', configure: '', write: '.*', read: '' });
  });

  it('is imported again at every start: a deleted declared vhost is back, an operator\'s own vhost stays', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cdm-rmq-')), 'rabbitmq.json');
    createRabbitMqEmulator({ stateFile: file, adminUser: 'admin', adminPassword: 'pw', definitions: providerDefinitions('admin') });
    const store = new JsonStore<RabbitState>(file, () => { throw new Error('state expected'); });
    store.update((s) => {
      delete s.vhosts['cdm-metrics'];
      s.permissions = s.permissions.filter((p) => p.vhost !== 'cdm-metrics');
      s.vhosts['acme'] = { description: 'tenant', tags: [] };
    });
    createRabbitMqEmulator({ stateFile: file, adminUser: 'admin', adminPassword: 'pw', definitions: providerDefinitions('admin') });
    const after = JsonStore.read<RabbitState>(file)!;
    expect(Object.keys(after.vhosts).sort()).toEqual(['/', 'acme', 'cdm-metrics']);
    expect(after.permissions.filter((p) => p.vhost === 'cdm-metrics').map((p) => p.user).sort()).toEqual(['admin', 'system-monitor', 'telegraf']);
  });
});
