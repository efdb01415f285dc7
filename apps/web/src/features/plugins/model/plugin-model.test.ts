import { describe, expect, it } from 'vitest';
import type { CatalogPlugin, Environment, Plugin } from '../../../lib/api-types';
import { isOutputComplete, nextOffset, pollDelay } from '../../../lib/followed-output';
import { matchesSearch, orderedVariants, variantLabel } from './catalog-search';
import { logoLetter, pluginTypeTabs } from './plugin-types';
import { describeUsers, isInUse, pluginUsers, usersFromConflict } from './plugin-users';

const catalogPlugin: CatalogPlugin = {
  type: 'loaders',
  name: 'target-postgres',
  label: 'PostgreSQL',
  description: 'Open-source relational database',
  logo_url: null,
  default_variant: 'meltanolabs',
  variants: [
    { name: 'transferwise', default: false, deprecated: true, docs: 'https://hub/t' },
    { name: 'datamill', default: false, deprecated: false, docs: 'https://hub/d' },
    { name: 'meltanolabs', default: true, deprecated: false, docs: 'https://hub/m' },
  ],
};

describe('catalog search', () => {
  it('matches every word against name, label, description and variants', () => {
    expect(matchesSearch(catalogPlugin, '')).toBe(true);
    expect(matchesSearch(catalogPlugin, 'postgres')).toBe(true);
    expect(matchesSearch(catalogPlugin, 'RELATIONAL target')).toBe(true);
    expect(matchesSearch(catalogPlugin, 'transferwise')).toBe(true);
    expect(matchesSearch(catalogPlugin, 'postgres snowflake')).toBe(false);
  });

  it('lists the default variant first and deprecated ones last, labelled', () => {
    const ordered = orderedVariants(catalogPlugin);
    expect(ordered.map((v) => v.name)).toEqual(['meltanolabs', 'datamill', 'transferwise']);
    expect(ordered.map((v) => variantLabel(catalogPlugin, v))).toEqual([
      'meltanolabs (default)',
      'datamill',
      'transferwise (deprecated)',
    ]);
  });
});

describe('plugin types and logos', () => {
  it('shows the addable types, then unusual ones the project has', () => {
    expect(pluginTypeTabs(['models', 'extractors'])).toEqual([
      'extractors',
      'loaders',
      'utilities',
      'transformers',
      'mappers',
      'orchestrators',
      'transforms',
      'files',
      'models',
    ]);
  });

  it('falls back to a letter without a logo', () => {
    expect(logoLetter('tap-github', null)).toBe('G');
    expect(logoLetter('target-postgres', 'PostgreSQL')).toBe('P');
    expect(logoLetter('--', null)).toBe('?');
    // A label that only repeats the name reads as the name.
    expect(logoLetter('tap-demo', 'tap-demo')).toBe('D');
  });
});

describe('plugin users', () => {
  const plugin = (name: string, over: Partial<Plugin> = {}) =>
    ({
      type: 'extractors',
      name,
      inherit_from: null,
      used_by: { schedules: [], jobs: [] },
      ...over,
    }) as Plugin;
  const base = plugin('tap-demo', { used_by: { schedules: ['daily'], jobs: ['demo-job'] } });
  const all = [
    base,
    plugin('tap-demo-fail', { inherit_from: 'tap-demo' }),
    plugin('tap-demo', { type: 'loaders' } as Partial<Plugin>),
  ];
  const environments = [
    { name: 'prod', plugin_overrides: [{ type: 'extractors', name: 'tap-demo' }] },
    { name: 'dev', plugin_overrides: [] },
  ] as unknown as Environment[];

  it('names schedules, jobs, inheriting plugins and environments with overrides', () => {
    const users = pluginUsers(base, all, environments);
    expect(users).toEqual({
      schedules: ['daily'],
      jobs: ['demo-job'],
      plugins: ['tap-demo-fail'],
      environments: ['prod'],
    });
    expect(isInUse(users)).toBe(true);
    expect(describeUsers(users)).toEqual([
      'schedule daily',
      'job demo-job',
      'plugin tap-demo-fail (inherits from it)',
    ]);
  });

  it('an environment override alone does not stop a removal', () => {
    expect(isInUse({ schedules: [], jobs: [], plugins: [], environments: ['prod'] })).toBe(false);
  });

  it('reads the users a 409 names', () => {
    expect(
      usersFromConflict({
        schedules: ['a'],
        jobs: [],
        plugins: [{ type: 'extractors', name: 'child' }],
        environments: ['prod'],
      }),
    ).toEqual({ schedules: ['a'], jobs: [], plugins: ['child'], environments: ['prod'] });
    expect(usersFromConflict(undefined)).toEqual({ schedules: [], jobs: [], plugins: [], environments: [] });
  });
});

describe('install output polling', () => {
  it('continues from offset + length, and stops once the ended install is read to the end', () => {
    expect(nextOffset({ offset: 100, length: 28 })).toBe(128);
    expect(isOutputComplete({ status: 'running', eof: true })).toBe(false);
    expect(isOutputComplete({ status: 'success', eof: false })).toBe(false);
    expect(isOutputComplete({ status: 'failed', eof: true })).toBe(true);
    expect(pollDelay({ eof: false })).toBe(0);
    expect(pollDelay({ eof: true }, 500)).toBe(500);
  });
});
