import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pluginUsage } from '../../src/plugins/plugin-usage.js';
import { loadProject } from '../../src/project/load-project.js';
import { itReal, realProject, withTempCopy } from '../project/fixture-paths.js';

const PROJECT = `
default_environment: dev
plugins:
  extractors:
  - name: tap-shop
    namespace: shop
  - name: tap-shop-eu
    inherit_from: tap-shop
  loaders:
  - name: target-dw
  transforms:
  - name: shop-models
    namespace: shop
  - name: other-models
    namespace: other
  transformers:
  - name: dbt
  mappers:
  - name: mapper
    mappings:
    - name: hash-emails
schedules:
- name: nightly
  extractor: tap-shop
  loader: target-dw
  transform: run
  interval: '@daily'
- name: raw-only
  extractor: tap-shop-eu
  loader: target-dw
  transform: skip
  interval: '@daily'
- name: by-job
  job: masked
  interval: '@hourly'
jobs:
- name: masked
  tasks:
  - tap-shop hash-emails target-dw dbt:run
environments:
- name: dev
  config:
    plugins:
      loaders:
      - name: target-dw
        config: {}
`;

describe('what uses a plugin', () => {
  it('follows schedules (transform steps included), job tasks, mappings, inheritance and environments', async () => {
    await withTempCopy(null, async (root) => {
      await writeFile(join(root, 'meltano.yml'), PROJECT);
      const project = await loadProject(root);
      expect(pluginUsage(project, 'extractors', 'tap-shop')).toEqual({
        schedules: ['nightly', 'by-job'],
        jobs: ['masked'],
        plugins: [{ type: 'extractors', name: 'tap-shop-eu' }],
        environments: [],
      });
      expect(pluginUsage(project, 'loaders', 'target-dw')).toEqual({
        schedules: ['nightly', 'raw-only', 'by-job'],
        jobs: ['masked'],
        plugins: [],
        environments: ['dev'],
      });
      expect(pluginUsage(project, 'transforms', 'shop-models').schedules).toEqual(['nightly']);
      expect(pluginUsage(project, 'transforms', 'other-models').schedules).toEqual([]);
      expect(pluginUsage(project, 'transformers', 'dbt')).toMatchObject({
        schedules: ['nightly', 'by-job'],
        jobs: ['masked'],
      });
      expect(pluginUsage(project, 'mappers', 'mapper')).toMatchObject({
        schedules: ['by-job'],
        jobs: ['masked'],
      });
    });
  });

  itReal('reads a folded task string as blocks', async () => {
    const project = await loadProject(realProject('meltano__meltano', 'tests/fixtures/multifile_project'));
    expect(pluginUsage(project, 'mappers', 'map-meltano-yml').jobs).toEqual(['my-job']);
    expect(pluginUsage(project, 'loaders', 'target-subconfig-2-yml')).toEqual({
      schedules: ['test-subconfig-2-yml'],
      jobs: [],
      plugins: [],
      environments: [],
    });
  });
});
