import { InvalidInputError } from '../errors.js';
import type { Project } from '../project/project.types.js';
import { whatExists } from './plugin-suggestions.js';

/** A 400 that names the offending field, so a form can put the message next to it. */
export function invalid(field: string, message: string): InvalidInputError {
  return new InvalidInputError(message, { field });
}

export function requireName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'A name is required');
  if (value !== value.trim()) throw invalid(field, 'The name must not start or end with spaces');
  return value;
}

/**
 * A name given to a new or renamed schedule or job. Meltano puts it in its own argv (`meltano schedule
 * run` re-invokes itself with `run JOB` / `--state-id=NAME`) without `--`, so a leading `-` would be
 * read as an option.
 */
export function requireNewName(value: unknown, field = 'name'): string {
  const name = requireName(value, field);
  if (name.startsWith('-')) {
    throw invalid(field, `The name must not start with '-' (Meltano would read '${name}' as an option)`);
  }
  return name;
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, `\`${field}\` is required`);
  return value;
}

/** A name taken by another entity of the same kind anywhere in the project (any file). */
export function requireUnique(names: readonly { name: string }[], name: string, what: string): void {
  if (names.some((entity) => entity.name === name)) {
    throw invalid('name', `A ${what} named '${name}' already exists`);
  }
}

export function requirePlugin(
  project: Project,
  type: 'extractors' | 'loaders',
  name: string,
  field: string,
): void {
  if (!project.plugins.some((plugin) => plugin.type === type && plugin.name === name)) {
    throw invalid(
      field,
      `There is no ${type.slice(0, -1)} named '${name}' in the project. ${whatExists(project, name, type)}`,
    );
  }
}

/** `env:` values must be strings (Meltano passes them to the process environment). */
export function requireEnv(value: unknown, field = 'env'): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(field, '`env` must be a mapping of variable names to strings');
  }
  for (const [key, val] of Object.entries(value)) {
    if (key.trim() === '' || typeof val !== 'string') throw invalid(field, `\`env.${key}\` must be a string`);
  }
  return value as Record<string, string>;
}
