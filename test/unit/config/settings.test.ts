import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePaths } from '../../../src/config/paths.js';
import { validateContextSpec } from '../../../src/config/context-validate.js';
import { resolveSettings } from '../../../src/config/settings.js';
import { resolveRateLimit } from '../../../src/core/factory.js';
import { formatDuration, parseDuration, parseInterval, parsePercent, parseUrl } from '../../../src/core/parse.js';

describe('settings precedence: flag > env > context > default', () => {
  it('client-side rate limit: CDM_RATE_LIMIT > context default > 50; 0 is none', () => {
    expect(resolveRateLimit({}, undefined)).toBe(50);
    expect(resolveRateLimit({}, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(resolveRateLimit({}, 200)).toBe(200);
    expect(resolveRateLimit({ CDM_RATE_LIMIT: '20' }, 0)).toBe(20);
    expect(resolveRateLimit({ CDM_RATE_LIMIT: '0' }, 20)).toBe(Number.POSITIVE_INFINITY);
    expect(() => resolveRateLimit({ CDM_RATE_LIMIT: 'fast' }, undefined)).toThrow(/invalid CDM_RATE_LIMIT "fast"/);
    expect(validateContextSpec({ type: 'provider', defaults: { rateLimit: '0' } }, 'context').defaults).toEqual({ rateLimit: 0 });
    expect(() => validateContextSpec({ type: 'provider', defaults: { rateLimit: -1 } }, 'context')).toThrow(/defaults.rateLimit "-1"/);
  });

  it('output', () => {
    expect(resolveSettings({}, {}).output).toBeUndefined();
    expect(resolveSettings({}, {}, { output: 'yaml' }).output).toBe('yaml');
    expect(resolveSettings({}, { CDM_OUTPUT: 'json' }, { output: 'yaml' }).output).toBe('json');
    expect(resolveSettings({ output: 'ndjson' }, { CDM_OUTPUT: 'json' }, { output: 'yaml' }).output).toBe('ndjson');
  });
  it('timeout, ca file, verbose, input, color', () => {
    expect(resolveSettings({}, { CDM_TIMEOUT: '5m' }, { timeout: '30s' }).timeoutMs).toBe(300_000);
    expect(resolveSettings({ timeout: '1h30m' }, { CDM_TIMEOUT: '5m' }).timeoutMs).toBe(5_400_000);
    expect(resolveSettings({}, { CDM_CA_FILE: '/env.pem' }, { caFile: '/ctx.pem' }).caFile).toBe('/env.pem');
    expect(resolveSettings({}, {}, { caFile: '/ctx.pem' }).caFile).toBe('/ctx.pem');
    expect(resolveSettings({}, { CDM_DEBUG: 'http' }).verbose).toBe(true);
    expect(resolveSettings({}, { CDM_NO_INPUT: '1' }).input).toBe(false);
    expect(resolveSettings({ input: false }, {}).input).toBe(false);
    expect(resolveSettings({}, { NO_COLOR: '1' }).color).toBe(false);
    expect(resolveSettings({}, { CDM_CONTEXT: 'x' }).contextName).toBe('x');
    expect(resolveSettings({ context: 'y' }, { CDM_CONTEXT: 'x' }).contextName).toBe('y');
  });
  it('names the source of a bad value', () => {
    expect(() => resolveSettings({}, { CDM_TIMEOUT: 'soon' })).toThrow(/CDM_TIMEOUT/);
    expect(() => resolveSettings({}, {}, { output: 'xml' })).toThrow(/context output/);
    expect(() => resolveSettings({ timeout: '0s' }, {})).toThrow(/greater than zero/);
  });
});

describe('paths', () => {
  it('XDG with CDM_* overrides', () => {
    expect(resolvePaths({ HOME: '/h' })).toMatchObject({ configDir: '/h/.config/cdm', stateDir: '/h/.local/state/cdm', credentialsFile: '/h/.config/cdm/credentials.json' });
    expect(resolvePaths({ HOME: '/h', XDG_CONFIG_HOME: '/x', XDG_STATE_HOME: '/s' })).toMatchObject({ configDir: '/x/cdm', stateDir: '/s/cdm' });
    expect(resolvePaths({ HOME: '/h', CDM_CONFIG_DIR: '/c', CDM_STATE_DIR: '/d' })).toMatchObject({ configDir: '/c', stateDir: '/d' });
  });

  it('always absolute: a relative CDM_* directory is taken from the working directory, a relative XDG_* one is ignored', () => {
    expect(resolvePaths({ HOME: '/h', CDM_CONFIG_DIR: 'c', CDM_STATE_DIR: 'd' })).toMatchObject({ configDir: join(process.cwd(), 'c'), stateDir: join(process.cwd(), 'd'), configFile: join(process.cwd(), 'c', 'config.json') });
    expect(resolvePaths({ HOME: '/h', XDG_CONFIG_HOME: 'x', XDG_STATE_HOME: 's' })).toMatchObject({ configDir: '/h/.config/cdm', stateDir: '/h/.local/state/cdm' });
  });
});

describe('parsers', () => {
  it('durations', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    for (const bad of ['', '10', '5 m', 'm5', '1h-2m']) expect(() => parseDuration(bad)).toThrow();
    expect(formatDuration(90_000)).toBe('90s');
    // Polling intervals: not a busy loop, and within a timer's reach.
    expect(parseInterval('100ms')).toBe(100);
    expect(parseInterval('24h')).toBe(86_400_000);
    for (const bad of ['0s', '99ms', '25h', '30d']) expect(() => parseInterval(bad)).toThrow(`invalid interval "${bad}": from 100ms to 24h`);
    expect(formatDuration(7_200_000)).toBe('2h');
  });
  it('percentages and URLs', () => {
    expect(parsePercent('95%')).toBe(95);
    expect(() => parsePercent('101')).toThrow();
    expect(parseUrl('https://x.example.com/auth/')).toBe('https://x.example.com/auth');
    expect(() => parseUrl('https://u:p@x.example.com')).toThrow(/credentials in URLs/);
  });
});
