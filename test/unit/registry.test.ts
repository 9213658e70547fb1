// Lint of the command registry: the promises the help and safety rules make.
import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../commands/index.js';
import { allVerbs, isGroup } from '../../src/core/command-spec.js';

const verbs = [...allVerbs(REGISTRY)];

describe('command registry', () => {
  it('has verbs', () => {
    expect(verbs.length).toBeGreaterThan(10);
  });

  it.each(verbs.map((v) => [v.path.join(' '), v] as const))('%s has examples that call it', (path, { verb }) => {
    expect(verb.examples.length).toBeGreaterThan(0);
    for (const example of verb.examples) {
      expect(example.command).toContain(`cdm ${path}`);
      expect(example.description.length).toBeGreaterThan(3);
    }
  });

  it.each(verbs.filter((v) => v.verb.mutates).map((v) => [v.path.join(' '), v] as const))('%s (mutating) plans for --dry-run', (_path, { verb }) => {
    expect(verb.mutates).toBe(true);
    if (!verb.mutates) return;
    expect(typeof verb.plan).toBe('function');
    if (verb.severe) expect(typeof verb.target).toBe('function');
  });

  it('groups have summaries and unique verb names', () => {
    for (const entry of REGISTRY) {
      expect(entry.summary.length).toBeGreaterThan(5);
      if (isGroup(entry)) expect(new Set(entry.verbs.map((v) => v.name)).size).toBe(entry.verbs.length);
    }
    expect(new Set(REGISTRY.map((e) => e.name)).size).toBe(REGISTRY.length);
  });

  it('contains no placeholder verbs', () => {
    for (const { verb } of verbs) expect(`${verb.summary} ${verb.description ?? ''}`).not.toMatch(/not implemented|coming soon|TODO/i);
  });
});
