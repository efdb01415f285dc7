import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../src/project/yaml-file.js';
import { parseYamlSource } from '../../src/project-writes/yaml-source.js';
import { getInData, type YamlPath } from '../../src/setting-writes/yaml-path.js';
import { spliceRemove, spliceSet } from '../../src/setting-writes/yaml-path-edit.js';

const TEXT = `# top comment
environments:
- name: dev
- name: prod
  config:
    plugins:
      extractors:
      - name: tap-demo
        config:
          mode: ok-prod  # keep me
plugins:
  extractors:
  - name: tap-demo
    namespace: tap_demo
    config:
      mode: 'ok'
  - {name: tap-c, config: {a: 1}}
  loaders:
  - name: target-demo
`;

const tap: YamlPath = ['plugins', 'extractors', { name: 'tap-demo' }, 'config'];
const prodTap: YamlPath = [
  'environments',
  { name: 'prod' },
  'config',
  'plugins',
  'extractors',
  { name: 'tap-demo' },
  'config',
];
const data = (text: string) => parseYamlText('meltano.yml', text, '/').data;
const set = (text: string, path: YamlPath, value: unknown) =>
  spliceSet(parseYamlSource('meltano.yml', text), data(text), path, value);
const remove = (text: string, path: YamlPath, pruneFrom: number) =>
  spliceRemove(parseYamlSource('meltano.yml', text), data(text), path, pruneFrom);

describe('spliceSet', () => {
  it('replaces a scalar in place, keeping its quotes and comment', () => {
    expect(set(TEXT, [...tap, 'mode'], 'new')).toBe(TEXT.replace("mode: 'ok'", "mode: 'new'"));
    expect(set(TEXT, [...prodTap, 'mode'], 'p2')).toBe(TEXT.replace('ok-prod  #', 'p2  #'));
  });

  it('adds a key, nested by its dots, after the last key of the mapping', () => {
    expect(set(TEXT, [...tap, 'ssl', 'mode'], 'require')).toBe(
      TEXT.replace("      mode: 'ok'\n", "      mode: 'ok'\n      ssl:\n        mode: require\n"),
    );
  });

  it('creates `config:` and a whole environment override where they are missing', () => {
    expect(set(TEXT, ['plugins', 'loaders', { name: 'target-demo' }, 'config', 'dir'], 'out')).toBe(
      `${TEXT}    config:\n      dir: out\n`,
    );
    const devTap: YamlPath = [
      'environments',
      { name: 'dev' },
      'config',
      'plugins',
      'extractors',
      { name: 'tap-demo' },
      'config',
      'mode',
    ];
    expect(set(TEXT, devTap, 'dev-mode')).toBe(
      TEXT.replace(
        '- name: dev\n',
        '- name: dev\n  config:\n    plugins:\n      extractors:\n      - name: tap-demo\n        config:\n          mode: dev-mode\n',
      ),
    );
  });

  it('rewrites a flow item in block style, only its own lines', () => {
    expect(set(TEXT, ['plugins', 'extractors', { name: 'tap-c' }, 'config', 'k'], 'v')).toBe(
      TEXT.replace(
        '  - {name: tap-c, config: {a: 1}}\n',
        '  - name: tap-c\n    config:\n      a: 1\n      k: v\n',
      ),
    );
  });

  it('quotes what YAML 1.1 would read as another type', () => {
    const out = set(
      TEXT,
      [...tap, 'flags'],
      new Map<string, unknown>([
        ['on', 'yes'],
        ['since', '2024-01-01'],
      ]),
    );
    expect(out).toContain("      flags:\n        'on': 'yes'\n        since: '2024-01-01'\n");
    expect(getInData(data(out), [...tap, 'flags'])).toEqual({ on: 'yes', since: '2024-01-01' });
  });

  it('follows the file’s dash indentation, line endings and missing final newline', () => {
    const text = 'plugins:\r\n  loaders:\r\n    - name: target-x\r\n      config:\r\n        a: 1';
    expect(set(text, ['plugins', 'loaders', { name: 'target-x' }, 'config', 'b'], 2)).toBe(
      `${text}\r\n        b: 2`,
    );
    expect(set(text, ['plugins', 'extractors', { name: 'tap-y' }, 'config', 'b'], 2)).toBe(
      `${text}\r\n  extractors:\r\n    - name: tap-y\r\n      config:\r\n        b: 2`,
    );
  });
});

describe('spliceRemove', () => {
  it('drops the key and the `config:` it leaves empty (pruneFrom at config)', () => {
    expect(remove(TEXT, [...tap, 'mode'], 3)).toBe(TEXT.replace("    config:\n      mode: 'ok'\n", ''));
  });

  it('keeps an emptied environment override item, as Meltano does', () => {
    expect(remove(TEXT, [...prodTap, 'mode'], 6)).toBe(
      TEXT.replace('        config:\n          mode: ok-prod  # keep me\n', ''),
    );
  });

  it('keeps `config: {}` when told not to prune it (a set about to add a key)', () => {
    expect(remove(TEXT, [...tap, 'mode'], 4)).toBe(
      TEXT.replace("    config:\n      mode: 'ok'\n", '    config: {}\n'),
    );
  });

  it('edits a flow mapping through its data', () => {
    expect(remove(TEXT, ['plugins', 'extractors', { name: 'tap-c' }, 'config', 'a'], 3)).toBe(
      TEXT.replace('  - {name: tap-c, config: {a: 1}}\n', '  - name: tap-c\n'),
    );
  });

  it('leaves the text alone when the key is not there', () => {
    expect(remove(TEXT, [...tap, 'nothing'], 3)).toBe(TEXT);
    expect(remove(TEXT, ['plugins', 'loaders', { name: 'target-demo' }, 'config', 'x'], 3)).toBe(TEXT);
  });
});
