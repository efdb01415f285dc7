import { describe, expect, it } from 'vitest';
import { bundledDefinition, bundledEntries } from '../../src/plugin-catalog/bundled-catalog.js';
import { resolveHubEndpoint } from '../../src/plugin-catalog/hub-settings.js';
import { loadProject } from '../../src/project/load-project.js';
import { ADDABLE_PLUGIN_TYPES } from '../../src/project/project.types.js';
import { itReal, realProject } from '../project/fixture-paths.js';

const SECRET_NAME = /password|secret|token|api_key|connection_string|sqlalchemy_url/i;

describe('the bundled catalog', () => {
  const entries = bundledEntries();
  const all = ADDABLE_PLUGIN_TYPES.flatMap((type) => entries[type]);

  it('holds about forty popular plugins across the plugin types', () => {
    expect(all.length).toBeGreaterThanOrEqual(40);
    for (const type of [
      'extractors',
      'loaders',
      'utilities',
      'mappers',
      'orchestrators',
      'transformers',
    ] as const) {
      expect(entries[type].length, type).toBeGreaterThan(0);
    }
    expect(new Set(all.map((p) => p.name)).size).toBe(all.length);
  });

  it('gives every variant a full definition: namespace, pip_url, docs on the hub, labelled settings', () => {
    for (const entry of all) {
      expect(entry.variants[0]).toMatchObject({ name: entry.default_variant, default: true });
      for (const variant of entry.variants) {
        const definition = bundledDefinition(entry.type, entry.name, variant.name);
        expect(definition, `${entry.name}--${variant.name}`).not.toBeNull();
        if (!definition) continue;
        expect(definition.docs).toBe(`https://hub.meltano.com/${entry.type}/${entry.name}--${variant.name}`);
        expect(variant.docs).toBe(definition.docs);
        expect(definition.namespace).toMatch(/^[a-z0-9_]+$/);
        expect(definition.pip_url).toBeTruthy();
        expect(definition.raw).toMatchObject({
          name: entry.name,
          variant: variant.name,
          namespace: definition.namespace,
        });
        for (const setting of definition.settings) {
          expect(setting.label, `${entry.name}.${setting.name}`).toBeTruthy();
          expect(setting.description, `${entry.name}.${setting.name}`).toBeTruthy();
          if (SECRET_NAME.test(setting.name))
            expect(setting.sensitive, `${entry.name}.${setting.name}`).toBe(true);
        }
      }
    }
  });

  it('picks the default variant when none is asked for, and knows nothing else', () => {
    expect(bundledDefinition('loaders', 'target-postgres')?.variant).toBe('meltanolabs');
    expect(bundledDefinition('loaders', 'target-postgres', 'nobody')).toBeNull();
    expect(bundledDefinition('extractors', 'target-postgres')).toBeNull();
  });
});

describe('where Meltano Hub is', () => {
  itReal(
    'follows Meltano: hub_api_root, else <hub_url>/meltano/api/v1, from env, .env or meltano.yml',
    async () => {
      expect(resolveHubEndpoint(null, {})).toEqual({
        api_url: 'https://hub.meltano.com/meltano/api/v1',
        auth: null,
      });
      expect(resolveHubEndpoint(null, { MELTANO_HUB_URL: 'https://mirror.example/' })).toEqual({
        api_url: 'https://mirror.example/meltano/api/v1',
        auth: null,
      });
      const project = await loadProject(realProject('edgarrmondragon__meltano-dogfood'));
      project.settings.hub_url = 'https://yml.example';
      project.dotenv.MELTANO_HUB_URL_AUTH = 'Bearer from-dotenv';
      expect(resolveHubEndpoint(project, {})).toEqual({
        api_url: 'https://yml.example/meltano/api/v1',
        auth: 'Bearer from-dotenv',
      });
      expect(resolveHubEndpoint(project, { MELTANO_HUB_API_ROOT: 'http://127.0.0.1:9/api/' })).toMatchObject({
        api_url: 'http://127.0.0.1:9/api',
      });
    },
  );
});
