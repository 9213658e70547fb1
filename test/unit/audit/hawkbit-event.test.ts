// A hawkBit action in the merged timeline is about the device id (the controllerId), which joins it
// to the other sources; the target link's name is hawkBit's display name of the target.
import { describe, expect, it } from 'vitest';
import { hawkbitEvent } from '../../../src/workflows/audit/sources/hawkbit.js';
import { actionTarget } from '../../../src/services/hawkbit/client.js';

const action = (links: Record<string, { href: string; name?: string }>) => ({ id: 7, status: 'finished', createdAt: 1_000, createdBy: 'admin', _links: links });

describe('hawkBit actions in the audit timeline', () => {
  it('name the device by its controllerId, keeping a different display name as a detail', () => {
    const e = hawkbitEvent(action({ target: { href: 'http://hb/rest/v1/targets/dev%3A1', name: 'Pump in hall 2' } }), 'acme');
    expect(e.event).toMatchObject({ target: 'dev:1', details: { targetName: 'Pump in hall 2' } });
    const same = hawkbitEvent(action({ target: { href: 'http://hb/rest/v1/targets/dev-2', name: 'dev-2' } }), 'acme');
    expect(same.event.target).toBe('dev-2');
    expect(same.event.details).not.toHaveProperty('targetName');
  });

  it('take the outcome from detailStatus where hawkBit ≤ 0.9 says only pending|finished in status', () => {
    const old = { ...action({ self: { href: 'http://hb/rest/v1/targets/dev-5/actions/7' } }), status: 'finished', detailStatus: 'error' };
    expect(hawkbitEvent(old, 'acme').event).toMatchObject({ target: 'dev-5', outcome: 'failure', details: { status: 'error' } });
    expect(hawkbitEvent({ ...old, detailStatus: 'canceled' }, 'acme').event.outcome).toBe('interrupted');
    expect(hawkbitEvent({ ...old, detailStatus: undefined }, 'acme').event.outcome).toBe('success');
  });

  it('reads the controllerId from the self link when the compact form has no target link', () => {
    expect(actionTarget({ _links: { self: { href: 'http://hb/rest/v1/targets/dev-3/actions/7' } } })).toBe('dev-3');
    expect(actionTarget({ _links: { target: { href: 'http://hb/rest/v1/targets/dev-4/' } } })).toBe('dev-4');
    expect(actionTarget({ _links: {} })).toBeUndefined();
  });
});
