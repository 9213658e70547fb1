// The hawkBit Management API client: Basic auth, paging across pages, 204 answers, and
// ExceptionInfo bodies turned into typed errors that keep service and status.
import { describe, expect, it } from 'vitest';
import { AuthError, ConflictError, NotFoundError, UsageError } from '../../../src/core/errors.js';
import { HawkbitClient } from '../../../src/services/hawkbit/client.js';
import { fakeHttp } from './fake-http.js';

const targets = Array.from({ length: 7 }, (_, i) => ({ controllerId: `dev-${i}`, name: `dev-${i}`, updateStatus: 'in_sync' }));

describe('HawkbitClient', () => {
  it('sends Basic auth and walks every page by offset', async () => {
    const http = fakeHttp((req) => {
      const offset = Number(req.url.searchParams.get('offset'));
      // A server that clamps the page to 3 rows whatever was asked.
      const content = targets.slice(offset, offset + 3);
      return { status: 200, json: { content, total: targets.length, size: content.length } };
    });
    const hb = new HawkbitClient(http, 'http://hb.test/', 'admin', 'secret');
    const seen: string[] = [];
    for await (const t of hb.targets({ q: 'name==dev-*', limit: 1000 })) seen.push(t.controllerId);
    expect(seen).toEqual(targets.map((t) => t.controllerId));
    expect(http.sent.map((s) => s.url.searchParams.get('offset'))).toEqual(['0', '3', '6']);
    expect(http.sent[0]!.url.pathname).toBe('/rest/v1/targets');
    expect(http.sent[0]!.url.searchParams.get('limit')).toBe('500');
    expect(http.sent[0]!.url.searchParams.get('q')).toBe('name==dev-*');
    expect(http.sent[0]!.headers.authorization).toBe(`Basic ${Buffer.from('admin:secret').toString('base64')}`);
  });

  it('returns one page with listTargets and counts with limit=1', async () => {
    const http = fakeHttp(() => ({ status: 200, json: { content: targets.slice(0, 1), total: 7, size: 1 } }));
    const hb = new HawkbitClient(http, 'http://hb.test', 'a', 'b');
    expect((await hb.listTargets({ offset: 0, limit: 1 })).total).toBe(7);
    expect(await hb.countTargets('updatestatus==error')).toBe(7);
    expect(http.sent[1]!.url.searchParams.get('limit')).toBe('1');
  });

  it('treats 204 from assignedDS/installedDS as none', async () => {
    const http = fakeHttp((req) => (req.url.pathname.endsWith('installedDS') ? { status: 204 } : { status: 200, json: { id: 3, name: 'fw', version: '1' } }));
    const hb = new HawkbitClient(http, 'http://hb.test', 'a', 'b');
    expect(await hb.targetInstalledDs('dev 1')).toBeUndefined();
    expect((await hb.targetAssignedDs('dev-1'))?.id).toBe(3);
    expect(http.sent[0]!.url.pathname).toBe('/rest/v1/targets/dev%201/installedDS');
  });

  it('accepts 200 and 204 for void operations', async () => {
    let status = 204;
    const hb = new HawkbitClient(fakeHttp(() => ({ status })), 'http://hb.test', 'a', 'b');
    await hb.deleteTarget('dev-1');
    status = 200;
    await hb.deleteTarget('dev-1');
  });

  it.each([
    [404, 'hawkbit.server.error.repo.entityNotFound', NotFoundError, 3],
    [409, 'hawkbit.server.error.repo.entityAlreadyExists', ConflictError, 5],
    [400, 'hawkbit.server.error.rest.param.rsqlParamSyntax', UsageError, 2],
    [400, 'hawkbit.server.error.rollout.illegalState', ConflictError, 5],
    [405, 'hawkbit.server.error.action.notCancelable', ConflictError, 5],
    [403, 'hawkbit.server.error.insufficientPermission', AuthError, 4],
  ])('%i %s → typed error', async (status, errorCode, type, exit) => {
    const hb = new HawkbitClient(fakeHttp(() => ({ status, json: { errorCode, message: 'refused' } })), 'http://hb.test', 'a', 'b');
    const err = await hb.getTarget('dev-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ exitCode: exit, service: 'hawkbit', status, message: `target dev-1: refused (${errorCode})` });
  });

  it('401 without a body asks for the credential', async () => {
    const hb = new HawkbitClient(fakeHttp(() => ({ status: 401 })), 'http://hb.test', 'a', 'b');
    const err = await hb.listTargets().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).hint).toContain('set-credential hawkbit');
  });
});

describe('lookups by name', () => {
  // hawkBit's FIQL == ignores case by default and takes * as a wildcard: what comes back is compared exactly.
  it('keep only exact names and versions from what FIQL matched', async () => {
    const { RolloutApi } = await import('../../../src/services/hawkbit/rollouts.js');
    const { SoftwareApi } = await import('../../../src/services/hawkbit/software.js');
    const http = fakeHttp((req) => {
      const path = req.url.pathname.replace('/rest/v1', '');
      const page = (content: unknown[]) => ({ status: 200, json: { content, total: content.length, size: content.length } });
      if (path === '/rollouts') return page([{ id: 1, name: 'FW-1' }, { id: 2, name: 'fw-1' }, { id: 3, name: 'fw-1b' }]);
      if (path === '/distributionsets') return page([{ id: 7, name: 'CDM-OS', version: '1.0' }]);
      return page([{ id: 8, name: 'cdm-os', version: '1.0*' }, { id: 9, name: 'cdm-os', version: '1.0' }]);
    });
    const hb = new HawkbitClient(http, 'http://hb.test/', 'admin', 'secret');
    expect((await new RolloutApi(hb).findByName('fw-1')).map((r) => r.id)).toEqual([2]);
    expect(await new SoftwareApi(hb).findDs('cdm-os', '1.0')).toBeUndefined();
    expect((await new SoftwareApi(hb).findModule('cdm-os', '1.0', 'os'))?.id).toBe(9);
  });
});
