import type { EnvReference } from './api-types';

const SOURCE_WORDS: Record<NonNullable<EnvReference['source']>, string> = {
  process_env: 'the server’s environment',
  dotenv: '.env',
  meltano_yml: 'an env: block of meltano.yml',
  meltano: 'Meltano itself',
};

/**
 * What the page says about one `${VAR}`: whether it is set and where. The API never sends its value
 * (only the value as written), so this is all a reader learns.
 */
export function referenceHint(reference: EnvReference): string {
  if (!reference.is_set) return 'not set';
  const where = reference.source ? ` in ${SOURCE_WORDS[reference.source]}` : '';
  return `set${where}${reference.secret ? ' (a secret: its value is never shown)' : ''}`;
}
