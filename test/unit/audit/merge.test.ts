import { describe, expect, it } from 'vitest';
import { csvRow, eventFilter, parseSources, parseTimeBound, timed, type AuditSource, type Timed } from '../../../src/workflows/audit/event.js';
import { mergeSources, type SourceFailure } from '../../../src/workflows/audit/merge.js';
import { runMerge } from '../../../src/workflows/audit/export.js';
import { parseLogrusLine, stepcaEvent } from '../../../src/workflows/audit/sources/stepca-log.js';

const ev = (ms: number, source: AuditSource = 'cdm', actor = 'a'): Timed => timed(ms, { source, tenant: null, actor, action: 'x', target: 't', outcome: 'success', details: {} });
async function* pages(...ps: Timed[][]): AsyncGenerator<Timed[]> { for (const p of ps) yield p; }
async function collect(it: AsyncIterable<Timed[]>): Promise<Timed[]> { const out: Timed[] = []; for await (const b of it) out.push(...b); return out; }

describe('mergeSources', () => {
  it('merges ascending pages of many sources into one ascending timeline, ties in source order', async () => {
    const failures: SourceFailure[] = [];
    const merged = await collect(mergeSources([
      { name: 'cdm', pages: pages([ev(1), ev(5)], [], [ev(9)]) },
      { name: 'bridge', pages: pages([ev(2, 'bridge'), ev(5, 'bridge')], [ev(6, 'bridge')]) },
      { name: 'keycloak', pages: pages() },
    ], (f) => failures.push(f), 2));
    expect(merged.map((e) => `${e.ms}${e.event.source[0]}`)).toEqual(['1c', '2b', '5c', '5b', '6b', '9c']);
    expect(failures).toEqual([]);
  });

  it('drops a failing source, reports it and keeps the others', async () => {
    async function* broken(): AsyncGenerator<Timed[]> { yield [ev(3, 'hawkbit')]; throw new Error('down'); }
    const failures: SourceFailure[] = [];
    const merged = await collect(mergeSources([{ name: 'hawkbit', pages: broken() }, { name: 'cdm', pages: pages([ev(1), ev(4), ev(7)]) }], (f) => failures.push(f)));
    expect(merged.map((e) => e.ms)).toEqual([1, 3, 4, 7]);
    expect(failures.map((f) => f.source)).toEqual(['hawkbit']);
  });

  it('keeps memory to one page per source over a long timeline', async () => {
    async function* big(offset: number): AsyncGenerator<Timed[]> {
      for (let p = 0; p < 200; p++) yield Array.from({ length: 500 }, (_, i) => ev((p * 500 + i) * 2 + offset));
    }
    let n = 0, last = -1, ordered = true, biggest = 0;
    for await (const b of mergeSources([{ name: 'cdm', pages: big(0) }, { name: 'bridge', pages: big(1) }], () => undefined)) {
      biggest = Math.max(biggest, b.length);
      for (const e of b) { if (e.ms <= last) ordered = false; last = e.ms; n++; }
    }
    expect(n).toBe(200_000);
    expect(ordered).toBe(true);
    expect(biggest).toBeLessThanOrEqual(1000);
  });
});

describe('audit parsing', () => {
  it('parses --since forms and refuses the rest', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    expect(parseTimeBound('24h', '--since', now)).toBe(now - 86_400_000);
    expect(parseTimeBound('2026-11-22', '--since', now)).toBe(Date.parse('2026-11-22T00:00:00Z'));
    expect(parseTimeBound('2026-11-22T03:00:00+01:00', '--since', now)).toBe(Date.parse('2026-11-22T02:00:00Z'));
    expect(parseTimeBound('2026-11-22T03:00', '--since', now)).toBe(Date.parse('2026-11-22T03:00:00Z'));
    expect(parseTimeBound('1763780400', '--since', now)).toBe(1763780400_000);
    expect(parseTimeBound('2026-11-22 03:00:00.5-0130', '--since', now)).toBe(Date.parse('2026-11-22T04:30:00.500Z'));
    expect(parseTimeBound('2026-11-22t03:00z', '--since', now)).toBe(Date.parse('2026-11-22T03:00:00Z'));
    // Dates that do not exist are refused, not rolled over into the next month.
    for (const bad of ['yesterday', '2026-13-01', '2026-02-30', '2026-11-22T24:00', '', '5', '3 days']) expect(() => parseTimeBound(bad, '--since', now)).toThrow(/invalid --since/);
  });

  it('parses --source lists', () => {
    expect(parseSources('keycloak, stepca,cdm,cdm')).toEqual(['keycloak', 'step-ca', 'cdm']);
    expect(() => parseSources('syslog')).toThrow(/invalid --source/);
    expect(() => parseSources(',')).toThrow(/no source/);
  });

  it('filters by actor (case-insensitive), device, tenant and bounds', () => {
    const e = timed(10, { source: 'bridge', tenant: 'acme', actor: 'Operator', action: 'enroll', target: 'dev-1', outcome: 'success', details: {} });
    expect(eventFilter({ actor: 'operator' })(e)).toBe(true);
    expect(eventFilter({ device: 'dev-1', tenant: 'acme', since: 10, until: 10 })(e)).toBe(true);
    expect(eventFilter({ device: 'dev-10' })(e)).toBe(false);
    expect(eventFilter({ tenant: 'beta' })(e)).toBe(false);
    expect(eventFilter({ since: 11 })(e)).toBe(false);
  });

  it('with a device, keeps the later events about the certificate serials its events named (a revocation by serial)', () => {
    const ev = (ms: number, source: string, action: string, target: string, details: Record<string, unknown>) => timed(ms, { source: source as AuditSource, tenant: 'acme', actor: 'x', action, target, outcome: 'success', details });
    const events = [
      ev(1, 'step-ca', 'certificate.issue', 'dev-1', { serial: '111' }),
      ev(2, 'bridge', 'device.enroll', 'dev-1', { cert_serial: '222' }),
      ev(3, 'step-ca', 'certificate.issue', 'dev-2', { serial: '333' }),
      ev(4, 'step-ca', 'certificate.revoke', '111', { serial: '111' }),
      ev(5, 'cdm', 'cdm cert revoke', '222', {}),
      ev(6, 'step-ca', 'certificate.revoke', '333', { serial: '333' }),
    ];
    const keep = eventFilter({ device: 'dev-1' });
    expect(events.filter(keep).map((t) => t.ms)).toEqual([1, 2, 4, 5]);
    // The serial is learnt even from an event the other filters drop.
    const later = eventFilter({ device: 'dev-1', since: 3 });
    expect(events.filter(later).map((t) => t.ms)).toEqual([4, 5]);
  });

  it('one filter passed to successive merges (the polls of `audit tail -f`) keeps what it learnt', async () => {
    const ev = (ms: number, action: string, target: string, details: Record<string, unknown>) => timed(ms, { source: 'step-ca', tenant: 'acme', actor: 'x', action, target, outcome: 'success', details });
    const stream = (events: Timed[]) => [{ name: 'step-ca' as const, pages: (async function* () { yield events; })() }];
    const collect = async (run: ReturnType<typeof runMerge>) => { const out: number[] = []; for await (const b of run.batches) out.push(...b.map((t) => t.ms)); return out; };
    const keep = eventFilter({ device: 'dev-1' });
    expect(await collect(runMerge(stream([ev(1, 'certificate.issue', 'dev-1', { serial: '111' })]), { device: 'dev-1' }, keep))).toEqual([1]);
    const poll = stream([ev(2, 'certificate.revoke', '111', { serial: '111' })]);
    expect(await collect(runMerge(poll, { device: 'dev-1', since: 2 }, keep))).toEqual([2]);
    expect(await collect(runMerge(stream([ev(2, 'certificate.revoke', '111', { serial: '111' })]), { device: 'dev-1', since: 2 }))).toEqual([]);
  });

  it('quotes CSV fields per RFC 4180', () => {
    const row = csvRow(timed(0, { source: 'cdm', tenant: null, actor: 'a,b', action: 'say "hi"', target: 'l1\nl2', outcome: 'success', details: { k: 'v' } }).event);
    expect(row).toBe('1970-01-01T00:00:00.000Z,cdm,,"a,b","say ""hi""","l1\nl2",success,"{""k"":""v""}"\r\n');
  });

  it('reads issuance and revocation from step-ca logrus lines and skips other paths', () => {
    const sign = 'time="2026-11-22T03:11:09Z" level=info duration=2.2ms method=POST path=/1.0/sign provisioner="iot-bridge (kid)" serial=2522 status=201 subject=dev-1 "user-agent"="x y"';
    expect(parseLogrusLine('error="bad \\"x\\" here" path=/sign')).toEqual({ error: 'bad "x" here', path: '/sign' });
    expect(parseLogrusLine(sign)).toMatchObject({ time: '2026-11-22T03:11:09Z', path: '/1.0/sign', provisioner: 'iot-bridge (kid)', subject: 'dev-1' });
    expect(stepcaEvent(sign, 'acme')!.event).toMatchObject({ source: 'step-ca', tenant: 'acme', actor: 'iot-bridge', action: 'certificate.issue', target: 'dev-1', outcome: 'success', details: { serial: '2522', status: 201 } });
    const revoke = 'time="2026-11-22T03:12:00Z" level=warning path=/revoke reason="" reasonCode=1 serial=77 status=401 error="token already used"';
    expect(stepcaEvent(revoke, null)!.event).toMatchObject({ action: 'certificate.revoke', target: '77', outcome: 'denied', details: { error: 'token already used' } });
    expect(stepcaEvent('time="2026-11-22T03:12:00Z" level=info path=/health status=200', null)).toBeUndefined();
    const withCert = 'time="2026-11-22T03:11:09Z" level=info certificate=MIIBxyz+/= path=/1.0/renew serial=9 status=201 subject=dev-2';
    expect(stepcaEvent(withCert, null)!.event).toMatchObject({ time: '2026-11-22T03:11:09.000Z', action: 'certificate.renew', target: 'dev-2', details: { serial: '9' } });
    expect(stepcaEvent(withCert, null)!.event.details).not.toHaveProperty('certificate');
  });
});
