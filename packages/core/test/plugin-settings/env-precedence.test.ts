// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` here is env-var syntax under test, not a template.
import { expect, it } from 'vitest';
import { pluginSettingsEnv, resolvePluginSettings } from '../../src/plugin-settings/index.js';
import { loadProject } from '../../src/project/load-project.js';
import { describeReal, realProject } from '../project/fixture-paths.js';

const root = realProject('meltano__meltano/integration/example-library/meltano-env-precedence');
// The example's comments assume the shell exports STACKED=1.
const processEnv = { STACKED: '1', LEVEL_NUM: '1' };

/**
 * Meltano's settings service stacks `env:` blocks without expanding them (only the active environment's
 * `env:` is expanded, once), so `echo_text: ${STACKED}` resolves to `${STACKED}4`: the value the
 * example's FIXME comment reports for `echo-config`. The runtime env of an invoked plugin is expanded
 * differently (plugin_invoker.py) and is not what `meltano config` shows.
 */
describeReal('meltano-env-precedence example', () => {
  it('resolves the env layer block by block, no environment', async () => {
    const project = await loadProject(root);
    const plugin = project.plugins[0]!;
    const env = pluginSettingsEnv(project, plugin, null, processEnv);
    expect(env.LEVEL_NUM).toBe('4');
    expect(env.STACKED).toBe('${STACKED}4');
    expect(env.MELTANO_UTILITY_NAME).toBe('example');
    expect(env.MELTANO_UTILITY_NAMESPACE).toBe('example');
    expect(env.MELTANO_ENVIRONMENT).toBe('');
  });

  it('resolves the env layer in prod: environment env expanded once, plugin env blocks literal', async () => {
    const project = await loadProject(root);
    const plugin = project.plugins[0]!;
    const prod = project.environments.find((e) => e.name === 'prod')!;
    const env = pluginSettingsEnv(project, plugin, prod, processEnv);
    expect(env.LEVEL_NUM).toBe('5');
    expect(env.STACKED).toBe('${STACKED}5');
    expect(env.MELTANO_ENVIRONMENT).toBe('prod');
    // Level 3 alone, before level 5 replaces it: `${STACKED}3` saw level 4's literal `${STACKED}4`.
    const withoutLevel5 = pluginSettingsEnv(project, plugin, { ...prod, plugins: [] }, processEnv);
    expect(withoutLevel5.STACKED).toBe('${STACKED}43');
    expect(withoutLevel5.LEVEL_NUM).toBe('3');
  });

  it('resolves echo_text from meltano.yml, expanded against the env layer', async () => {
    const project = await loadProject(root);
    const plugin = project.plugins[0]!;
    const [none] = resolvePluginSettings(project, plugin, { processEnv });
    expect(none).toMatchObject({
      name: 'echo_text',
      // Shown as written; STACKED is meltano.yml's own non-secret variable, so the expansion is shown too.
      value: '${STACKED}',
      expanded_value: '${STACKED}4',
      expansion_hidden: false,
      references: [{ name: 'STACKED', is_set: true, source: 'meltano_yml', secret: false }],
      expanded: true,
      source: 'meltano_yml',
      env_vars: ['EXAMPLE_ECHO_TEXT'],
      write_env_vars: ['ECHO_TEXT', 'EXAMPLE_ECHO_TEXT', 'MELTANO_UTILIZE_ECHO_TEXT'],
      auto_store: 'meltano_yml',
      writable_stores: ['dotenv', 'meltano_yml', 'db'],
    });
    const [prod] = resolvePluginSettings(project, plugin, { processEnv, environment: 'prod' });
    expect(prod).toMatchObject({
      value: '${STACKED}',
      expanded_value: '${STACKED}5',
      source: 'meltano_yml',
      auto_store: 'meltano_environment',
    });
  });

  it('reads EXAMPLE_ECHO_TEXT but not the write-only ECHO_TEXT', async () => {
    const project = await loadProject(root);
    const plugin = project.plugins[0]!;
    const [fromShell] = resolvePluginSettings(project, plugin, {
      processEnv: { ...processEnv, ECHO_TEXT: 'no' },
    });
    expect(fromShell?.source).toBe('meltano_yml');
    const [fromEnv] = resolvePluginSettings(project, plugin, {
      processEnv: { ...processEnv, EXAMPLE_ECHO_TEXT: 'yes $STACKED' },
    });
    // Values from the environment are not expanded.
    expect(fromEnv).toMatchObject({ value: 'yes $STACKED', source: 'env', env_var: 'EXAMPLE_ECHO_TEXT' });
  });
});
