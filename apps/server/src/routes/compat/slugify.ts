/**
 * python-slugify's `slugify(text)` with its defaults, as the old UI named new schedules
 * (`My Pipeline` → `my-pipeline`): accents dropped (NFKD, ASCII only: python-slugify transliterates
 * with text-unidecode, so a non-Latin name keeps fewer letters here), lower-cased, every run of other
 * characters one `-`, none at the ends. Ten lines, so not a dependency.
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^\p{ASCII}]/gu, '')
    .toLowerCase()
    .replace(/(?<=\d),(?=\d)/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
