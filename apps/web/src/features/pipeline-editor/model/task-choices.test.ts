import { describe, expect, it } from 'vitest';
import { blockGroups, knownNames, namesOf } from './task-choices';

const plugins = {
  loaders: [{ name: 'target-b', commands: [] }],
  utilities: [{ name: 'dbt-postgres', commands: ['run', 'test'] }],
  extractors: [{ name: 'tap-a', commands: [] }],
  custom_things: [{ name: 'odd', commands: [] }],
  mappers: [{ name: 'map-it', commands: [], mappings: ['hash-emails'] }],
};

describe('task choices', () => {
  it('groups blocks in task order, each plugin followed by its commands', () => {
    expect(blockGroups(plugins)).toEqual([
      { label: 'Extractors', blocks: ['tap-a'] },
      { label: 'Mappers', blocks: ['hash-emails'] },
      { label: 'Loaders', blocks: ['target-b'] },
      { label: 'Utilities', blocks: ['dbt-postgres', 'dbt-postgres:run', 'dbt-postgres:test'] },
      { label: 'custom_things', blocks: ['odd'] },
    ]);
  });

  it('knows every plugin name, and lists one type', () => {
    expect([...knownNames(plugins)].sort()).toEqual([
      'dbt-postgres',
      'hash-emails',
      'map-it',
      'odd',
      'tap-a',
      'target-b',
    ]);
    expect(namesOf(plugins, 'extractors')).toEqual(['tap-a']);
    expect(namesOf(undefined, 'extractors')).toEqual([]);
  });
});
